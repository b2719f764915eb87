using PiHub.Core.Power;

namespace PiHub.Core.Admin;

/// <summary>
/// Power as <c>pihub-cli</c> reports it when the service is stopped: nothing is watched, so <see cref="State"/>
/// says what the config would watch, and a simulation is refused (it drives the running service's pin).
/// </summary>
public sealed class StoppedPower(PowerOptions options, bool devMode) : IPowerAdmin
{
    /// <inheritdoc/>
    public string State => Configured(options) is { } what
        ? $"not watched while PiHub is stopped (configured: {what})"
        : "not configured (power.fail_pin and power.voltage.source in the config file)";

    /// <inheritdoc/>
    public Task<AdminResult> SimulateAsync(bool fail, CancellationToken cancellationToken) =>
        throw AdminException.ServiceNotRunning("power simulate", devMode);

    /// <summary>What the power options ask to watch, e.g. "power-fail pin GPIO 6, supply voltage (auto)"; null when nothing.</summary>
    public static string? Configured(PowerOptions options)
    {
        var parts = new List<string>();
        if (options.FailPin is { } pin) parts.Add($"power-fail pin GPIO {pin.Pin}");
        if (options.Voltage.Source != VoltageSourceKind.None) parts.Add($"supply voltage ({options.Voltage.Source.ToString().ToLowerInvariant()})");
        if (parts.Count > 0 && options.Simulate) parts.Add("simulated hardware");
        return parts.Count == 0 ? null : string.Join(", ", parts);
    }
}
