using PiHub.Core.Power;

namespace PiHub.Hardware.Voltage;

/// <summary>
/// Says whether under-voltage can be seen on this machine and why not. Raspberry Pi OS's kernel has the Pi's own
/// detector twice (the <c>rpi_volt</c> hwmon and the firmware's <c>get_throttled</c>); Debian's arm64 kernels have
/// neither (<c>CONFIG_SENSORS_RASPBERRYPI_HWMON</c> unset, no <c>get_throttled</c>, no <c>/dev/vcio</c>), so on
/// PiHub's own card only an INA219 can report it.
/// </summary>
public static class UnderVoltageProbe
{
    /// <summary>The device tree's model, e.g. "Raspberry Pi 4 Model B Rev 1.4", below the sys root.</summary>
    public static readonly string ModelPath = Path.Combine("firmware", "devicetree", "base", "model");

    private const string ConnectIna219 = "connect an INA219, as on most UPS HATs, to watch the supply (power.voltage.source: auto or ina219)";

    /// <summary>The status for <paramref name="inUse"/> (what <see cref="VoltageSources.Open"/> gave) on <paramref name="sysRoot"/>.</summary>
    public static UnderVoltageStatus Describe(VoltageOptions options, string sysRoot, IVoltageSource? inUse)
    {
        if (inUse is not null) return new UnderVoltageStatus(true, $"under-voltage: reported by {inUse.Name}");
        if (options.Source == VoltageSourceKind.None) return new UnderVoltageStatus(false, "under-voltage: not watched (power.voltage.source: none)");
        var piDetector = HwmonVoltageSource.TryFind(sysRoot)?.Name ?? ThrottledVoltageSource.TryFind(sysRoot)?.Name;
        if (piDetector is not null)
        {
            // The Pi's detector is there, but the configuration asked for another source that is absent.
            return new UnderVoltageStatus(false,
                $"under-voltage: not watched: power.voltage.source is {options.Source.ToString().ToLowerInvariant()}, which was not found; {piDetector} exists (power.voltage.source: auto uses it)");
        }

        var model = ReadModel(sysRoot);
        return model?.StartsWith("Raspberry Pi", StringComparison.Ordinal) == true
            ? new UnderVoltageStatus(false, $"under-voltage: not available on this kernel (Debian's kernel has no rpi_volt hwmon or get_throttled; Raspberry Pi OS's has both); {ConnectIna219}")
            : new UnderVoltageStatus(false, $"under-voltage: not available: not a Raspberry Pi ({(model is null ? "no device-tree model" : $"model \"{model}\"")}), so no rpi_volt hwmon or get_throttled; {ConnectIna219}");
    }

    private static string? ReadModel(string sysRoot)
    {
        try
        {
            var path = Path.Combine(sysRoot, ModelPath);
            return File.Exists(path) ? File.ReadAllText(path).TrimEnd('\0', '\n', ' ') : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
