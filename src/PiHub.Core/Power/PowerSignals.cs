using Microsoft.Extensions.Logging;
using PiHub.Core.Hub.Gpio;

namespace PiHub.Core.Power;

/// <summary>
/// Where the power signals come from: the power-fail pin (opened once) and the supply monitor (read on
/// each poll, with its outage said once, not once per poll), and the names PiHub gives them in logs,
/// attributes and the status. Owns no decision: the readings go to <see cref="BrownoutTracker"/>.
/// </summary>
internal sealed class PowerSignals(ILogger logger)
{
    private IVoltageSource? _voltage;
    private bool _voltageBroken;

    /// <summary>"the power-fail pin (GPIO 6)" once a pin is watched.</summary>
    public string PinSource { get; private set; } = "none";

    public bool HasPin { get; private set; }

    /// <summary>The supply monitor, or null.</summary>
    public IVoltageSource? Voltage => Volatile.Read(ref _voltage);

    /// <summary>The supply monitor's name for causes and attributes.</summary>
    public string VoltageSourceName => Voltage?.Name ?? "the voltage source";

    /// <summary>What <c>binary_sensor.power_fail</c> names as its source; null while nothing is watched.</summary>
    public string? PowerFailSource =>
        HasPin && Voltage is { } v ? $"{PinSource} and {v.Name}" : HasPin ? PinSource : Voltage?.Name;

    /// <summary>
    /// Opens the fail pin (when configured and present), calling <paramref name="onPin"/> with the
    /// polarity-corrected level (true = failing), and keeps the supply monitor. Returns one description per
    /// watched signal.
    /// </summary>
    public List<string> Start(PinInputOptions? failPin, IGpioPins? pins, IVoltageSource? voltage, Action<bool> onPin)
    {
        var watched = new List<string>();
        if (failPin is { } pin && pins is not null)
        {
            PinSource = $"the power-fail pin (GPIO {pin.Pin})";
            pins.OpenInput(pin.Pin, pin.Pull, level => onPin(level != pin.ActiveLow));
            HasPin = true;
            watched.Add($"power-fail pin GPIO {pin.Pin} ({(pin.ActiveLow ? "active low" : "active high")}) on {pins.Description}");
        }

        Volatile.Write(ref _voltage, voltage);
        if (voltage is not null) watched.Add(voltage.Name);
        return watched;
    }

    /// <summary>
    /// Reads the supply monitor. False (and <paramref name="source"/> set) when it stopped answering; the first
    /// failure and the first answer after it are logged.
    /// </summary>
    public bool TryRead(out VoltageReading reading, out IVoltageSource? source)
    {
        reading = default;
        source = Voltage;
        if (source is null) return false;
        try
        {
            reading = source.Read();
            if (_voltageBroken) logger.LogInformation("{Source} answers again", source.Name);
            _voltageBroken = false;
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or InvalidOperationException)
        {
            // Said once per outage, not once per poll.
            if (!_voltageBroken) logger.LogWarning("{Source} stopped answering ({Error}); its entities are unavailable until it does", source.Name, ex.Message);
            _voltageBroken = true;
            return false;
        }
    }
}
