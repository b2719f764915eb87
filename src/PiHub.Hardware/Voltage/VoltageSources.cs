using System.Device.I2c;
using Microsoft.Extensions.Logging;
using PiHub.Core.Power;

namespace PiHub.Hardware.Voltage;

/// <summary>
/// Opens the supply monitor <c>power.voltage.source</c> asks for. <c>auto</c> takes the first that
/// exists of an INA219 (it measures volts), hwmon <c>rpi_volt</c>, firmware <c>get_throttled</c>,
/// and logs which. A source whose hardware is absent is logged once and gives null.
/// </summary>
public static class VoltageSources
{
    /// <summary>The source, or null (logged once) when the requested one is absent or none is configured.</summary>
    /// <param name="options">The <c>power.voltage</c> section.</param>
    /// <param name="sysRoot"><c>/sys</c>, or the temporary folder standing in for it.</param>
    /// <param name="openI2c">Opens an I²C device (<see cref="I2cDevice.Create"/>, or the simulated INA219).</param>
    /// <param name="logger">Where an absent source is reported, once.</param>
    /// <param name="simulated">Dev mode's simulated folder and chip: the source's name says "simulated".</param>
    public static IVoltageSource? Open(VoltageOptions options, string sysRoot, Func<I2cConnectionSettings, I2cDevice> openI2c, ILogger logger, bool simulated = false)
    {
        switch (options.Source)
        {
            case VoltageSourceKind.None:
                return null;
            case VoltageSourceKind.Hwmon:
                return HwmonVoltageSource.TryFind(sysRoot, simulated) ?? Absent(logger, $"power.voltage.source is hwmon but no hwmon device is named rpi_volt under {Path.Combine(sysRoot, "class", "hwmon")} (the raspberrypi-hwmon driver is missing, or this is not a Raspberry Pi); under-voltage is not watched");
            case VoltageSourceKind.Throttled:
                return ThrottledVoltageSource.TryFind(sysRoot, simulated) ?? Absent(logger, $"power.voltage.source is throttled but {Path.Combine(sysRoot, ThrottledVoltageSource.RelativePath)} does not exist (not Raspberry Pi OS's kernel, or not a Raspberry Pi); under-voltage is not watched");
            case VoltageSourceKind.Ina219:
                return TryIna219(options, sysRoot, openI2c, out var why) ?? Absent(logger, $"power.voltage.source is ina219 but {why}; supply voltage is not watched");
        }

        var found = (IVoltageSource?)TryIna219(options, sysRoot, openI2c, out var noIna) ?? HwmonVoltageSource.TryFind(sysRoot, simulated) ?? (IVoltageSource?)ThrottledVoltageSource.TryFind(sysRoot, simulated);
        if (found is null)
        {
            return Absent(logger, $"No supply monitor found (power.voltage.source: auto): {noIna}, no hwmon device named rpi_volt, no firmware get_throttled file under {sysRoot}");
        }

        logger.LogInformation("Supply monitor (power.voltage.source: auto): {Source}", found.Name);
        return found;
    }

    private static Ina219VoltageSource? TryIna219(VoltageOptions options, string sysRoot, Func<I2cConnectionSettings, I2cDevice> openI2c, out string? why)
    {
        // power.voltage.i2c_bus wins; else the header's bus by its device-tree node, whatever number it got at boot.
        string? noBus = null;
        var bus = options.I2cBus ?? I2cHeaderBus.Find(sysRoot, out noBus);
        if (bus is null)
        {
            why = $"no INA219 bus: {noBus}";
            return null;
        }

        why = null;
        I2cDevice? device = null;
        try
        {
            device = openI2c(new I2cConnectionSettings(bus.Value, options.I2cAddress));
            var source = new Ina219VoltageSource(device, options.ShuntOhms, options.LowVolts);
            source.Read(); // a bus with nothing at the address fails here, not at the first poll
            return source;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or PlatformNotSupportedException or ArgumentException)
        {
            device?.Dispose();
            why = $"no INA219 answers on i2c-{bus}{(options.I2cBus is null ? " (the header's bus)" : "")} at 0x{options.I2cAddress:x2} ({ex.Message})";
            return null;
        }
    }

    private static IVoltageSource? Absent(ILogger logger, string message)
    {
        logger.LogWarning("{Message}", message);
        return null;
    }
}
