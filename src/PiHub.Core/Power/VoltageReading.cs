namespace PiHub.Core.Power;

/// <summary>
/// One reading of a supply monitor. Sources that only know a flag (the Pi's own detector)
/// leave <see cref="Volts"/> null; only the INA219 knows <see cref="Amps"/>.
/// </summary>
/// <param name="UnderVoltage">Under-voltage now (or "recently": the hwmon driver's alarm covers its last 2 s poll).</param>
/// <param name="Volts">Supply voltage in volts, when measured.</param>
/// <param name="Amps">Supply current in amperes, when measured.</param>
/// <param name="OccurredSinceBoot">The firmware's sticky flag: under-voltage happened since boot.</param>
public readonly record struct VoltageReading(bool UnderVoltage, double? Volts = null, double? Amps = null, bool? OccurredSinceBoot = null);

/// <summary>A supply monitor PiHub polls: the Pi's own detector, or an INA219 on a UPS HAT.</summary>
public interface IVoltageSource
{
    /// <summary>Short name for logs and attributes ("hwmon rpi_volt", "INA219 on i2c-1 at 0x40").</summary>
    string Name { get; }

    /// <summary>True when the source can give volts (then <c>sensor.supply_voltage</c> exists).</summary>
    bool MeasuresVolts { get; }

    /// <summary>True when the source can give amperes (then <c>sensor.supply_current</c> exists).</summary>
    bool MeasuresAmps { get; }

    /// <summary>Reads now. Throws <see cref="IOException"/> when the hardware stopped answering.</summary>
    VoltageReading Read();
}

/// <summary>The seam through which PiHub asks the machine to power off cleanly.</summary>
public interface IPowerOff
{
    /// <summary>Asks for a clean power-off; returns how it was asked (e.g. "logind PowerOff") or throws when every way failed.</summary>
    Task<string> RequestAsync(string reason, CancellationToken cancellationToken = default);
}
