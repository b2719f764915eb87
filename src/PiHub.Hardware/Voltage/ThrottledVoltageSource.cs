using System.Globalization;
using PiHub.Core.Power;

namespace PiHub.Hardware.Voltage;

/// <summary>
/// The firmware's throttled flags, the fallback where the hwmon driver is missing. Raspberry Pi OS's
/// kernel shows them in <c>/sys/devices/platform/soc/soc:firmware/get_throttled</c> as hex
/// (what <c>vcgencmd get_throttled</c> prints): bit 0 under-voltage now, bit 16 under-voltage has
/// occurred since boot. Relied on: that path and bit layout as Home Assistant's rpi_power
/// integration (rpi-bad-power) and the kernel's raspberrypi-hwmon driver (UNDERVOLTAGE_STICKY_BIT
/// = bit 16) use them. It gives no volts.
/// </summary>
public sealed class ThrottledVoltageSource : IVoltageSource
{
    /// <summary>The path below the sys root.</summary>
    public static readonly string RelativePath = Path.Combine("devices", "platform", "soc", "soc:firmware", "get_throttled");

    private readonly string _path;

    private ThrottledVoltageSource(string path, bool simulated)
    {
        _path = path;
        Name = $"{(simulated ? "simulated " : "")}firmware get_throttled ({path})";
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public bool MeasuresVolts => false;

    /// <inheritdoc />
    public bool MeasuresAmps => false;

    /// <summary>The file under <paramref name="sysRoot"/>, or null when it does not exist; <paramref name="simulated"/> says so in its name.</summary>
    public static ThrottledVoltageSource? TryFind(string sysRoot, bool simulated = false)
    {
        var path = Path.Combine(sysRoot, RelativePath);
        return File.Exists(path) ? new ThrottledVoltageSource(path, simulated) : null;
    }

    /// <inheritdoc />
    public VoltageReading Read()
    {
        var value = Parse(File.ReadAllText(_path));
        return new VoltageReading((value & 0x1) != 0, OccurredSinceBoot: (value & 0x1_0000) != 0);
    }

    /// <summary>"50005", "0x50005" or "throttled=0x50005" (vcgencmd's form).</summary>
    internal static uint Parse(string text)
    {
        var t = text.Trim();
        if (t.StartsWith("throttled=", StringComparison.Ordinal)) t = t["throttled=".Length..];
        if (t.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) t = t[2..];
        return uint.TryParse(t, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"get_throttled holds \"{text.Trim()}\", not a hex number");
    }
}
