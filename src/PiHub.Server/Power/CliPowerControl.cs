using System.Globalization;
using PiHub.Core.Admin;
using PiHub.Core.Power;
using PiHub.Configuration;

namespace PiHub.Server.Power;

/// <summary>
/// The running service's power monitor for the admin socket: <c>pihub-cli status</c> shows its state, and
/// <c>pihub-cli power simulate fail|restore</c> drives dev mode's simulated power-fail pin through the same
/// <see cref="PowerSimulator"/> as <c>POST /api/pihub/power/simulate</c>.
/// </summary>
internal sealed class CliPowerControl(PiHubOptions options, PowerManager power, PowerSimulator simulator) : IPowerAdmin
{
    /// <inheritdoc/>
    public string State
    {
        get
        {
            if (power.StatusText is { } failing) return failing;
            // Why binary_sensor.under_voltage is there or not, unless the config turned supply monitoring off.
            var underVoltage = power.UnderVoltage is { } u && options.Power.Voltage.Source != VoltageSourceKind.None ? "; " + u.Text : "";
            if (!power.IsMonitoring)
            {
                return StoppedPower.Configured(options.Power) is { } configured
                    ? $"not watched: none of what is configured ({configured}) was found; the journal says why (journalctl -u pihub){underVoltage}"
                    : "not configured (power.fail_pin and power.voltage.source in the config file)";
            }

            var simulated = options.Power.Simulate ? " (simulated hardware)" : "";
            var last = power.Brownouts.LastOrDefault() is { } b
                ? string.Create(CultureInfo.InvariantCulture, $"; last brownout {b.Start.ToLocalTime():yyyy-MM-dd HH:mm:ss}")
                : "";
            return $"good; watching {power.Monitoring}{simulated}{last}{underVoltage}";
        }
    }

    /// <inheritdoc/>
    public async Task<AdminResult> SimulateAsync(bool fail, CancellationToken cancellationToken)
    {
        try
        {
            var done = await simulator.SetPowerAsync(fail, cancellationToken).ConfigureAwait(false);
            var flush = done.Flush is { } f ? string.Create(CultureInfo.InvariantCulture, $" (edge to flushed: {f.TotalMilliseconds:0.###} ms)") : "";
            return new AdminResult { Message = done.Message + flush };
        }
        catch (PowerSimulationException ex)
        {
            var code = ex.Code == PowerSimulator.DevModeOnlyCode ? AdminException.DevModeOnlyCode : ex.Code;
            throw new AdminException(AdminFailure.Failed, code, ex.Message, ex);
        }
    }
}
