using PiHub.Core.Hub.Gpio;

namespace PiHub.Core.Power;

/// <summary>The <c>power:</c> section, validated by the config loader.</summary>
public sealed record PowerOptions
{
    /// <summary>Use the simulated GPIO chip, I²C bus and <c>/sys</c> folder (dev mode's default).</summary>
    public bool Simulate { get; init; }

    /// <summary>The UPS HAT's power-fail pin, or null when none is wired.</summary>
    public PinInputOptions? FailPin { get; init; }

    /// <summary>Where supply voltage and under-voltage come from.</summary>
    public VoltageOptions Voltage { get; init; } = new();

    /// <summary>Request a clean shutdown once power has been bad this long; null: never.</summary>
    public TimeSpan? ShutdownAfter { get; init; }

    /// <summary>Power must be good this long before writes resume and the brownout is recorded.</summary>
    public TimeSpan Recovery { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Brownout records older than this are deleted (at least 90 days).</summary>
    public TimeSpan KeepBrownouts { get; init; } = TimeSpan.FromDays(365);

    /// <summary>True when some power monitoring is configured (a pin, or a voltage source other than none).</summary>
    public bool AnyConfigured => FailPin is not null || Voltage.Source != VoltageSourceKind.None;
}

/// <summary>The <c>power.voltage</c> section.</summary>
public sealed record VoltageOptions
{
    public VoltageSourceKind Source { get; init; } = VoltageSourceKind.Auto;

    /// <summary>INA219 bus voltage below this counts as under-voltage.</summary>
    public double LowVolts { get; init; } = 4.75;

    /// <summary>How often the source is read.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The INA219's I²C bus number (<c>/dev/i2c-N</c>); null: the header's bus, found by its device-tree node
    /// (<c>i2c@7e804000</c>), which is i2c-1 on Raspberry Pi OS and may be another number on Debian's kernel.
    /// </summary>
    public int? I2cBus { get; init; }

    /// <summary>The INA219's 7-bit I²C address (0x40 on most UPS HATs).</summary>
    public int I2cAddress { get; init; } = 0x40;

    /// <summary>The shunt resistor in ohms (0.1 on most boards), for the current.</summary>
    public double ShuntOhms { get; init; } = 0.1;
}

/// <summary><c>power.voltage.source</c>.</summary>
public enum VoltageSourceKind
{
    /// <summary>The first that exists of INA219, hwmon <c>rpi_volt</c>, firmware <c>get_throttled</c>.</summary>
    Auto,
    Hwmon,
    Throttled,
    Ina219,
    None,
}
