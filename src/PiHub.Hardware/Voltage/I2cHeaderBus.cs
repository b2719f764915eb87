using System.Globalization;

namespace PiHub.Hardware.Voltage;

/// <summary>
/// Finds the I²C bus on the 40-pin header (GPIO 2/3, where a UPS HAT's INA219 sits) by its adapter's device-tree
/// node, <c>i2c@7e804000</c> (BSC1 on the Pi 3 and 4), not by number: Debian's device trees have no <c>i2c</c>
/// aliases, so bus numbers are handed out at boot and the HDMI DDC buses can take the low ones. Raspberry Pi OS
/// calls the same adapter <c>i2c-1</c>.
/// </summary>
public static class I2cHeaderBus
{
    /// <summary>The header bus's device-tree node name.</summary>
    public const string NodeName = "i2c@7e804000";

    // The platform device's name is the CPU's address of the same block: fe804000 (Pi 4), 3f804000 (Pi 3).
    private const string DeviceSuffix = "804000.i2c";

    /// <summary>
    /// The number N of <c>bus/i2c/devices/i2c-N</c> under <paramref name="sysRoot"/> whose <c>of_node</c> link names
    /// <see cref="NodeName"/> (or whose <c>device</c> link names BSC1's platform device); null and
    /// <paramref name="why"/> when there is none.
    /// </summary>
    public static int? Find(string sysRoot, out string? why)
    {
        why = null;
        var devices = Path.Combine(sysRoot, "bus", "i2c", "devices");
        var seen = new List<string>();
        if (Directory.Exists(devices))
        {
            foreach (var adapter in Directory.EnumerateFileSystemEntries(devices, "i2c-*").Order(StringComparer.Ordinal))
            {
                if (!int.TryParse(Path.GetFileName(adapter)["i2c-".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var bus)) continue;
                var node = LinkName(Path.Combine(adapter, "of_node"));
                var device = LinkName(Path.Combine(adapter, "device"));
                if (node == NodeName || device?.EndsWith(DeviceSuffix, StringComparison.Ordinal) == true) return bus;
                seen.Add($"i2c-{bus} ({node ?? device ?? "no device-tree node"})");
            }
        }

        why = seen.Count == 0
            ? $"no I²C bus exists ({devices} lists none): on Raspberry Pi OS enable I²C (raspi-config nonint do_i2c 0, or dtparam=i2c_arm=on in config.txt) and reboot"
            : $"no I²C bus is the header's ({NodeName}); the buses are {string.Join(", ", seen)}. Set power.voltage.i2c_bus to the INA219's bus";
        return null;
    }

    /// <summary>The last part of a symbolic link's target; null when it is no link.</summary>
    private static string? LinkName(string path)
    {
        try
        {
            var info = new DirectoryInfo(path);
            return info.LinkTarget is { } target ? Path.GetFileName(target.TrimEnd('/')) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
