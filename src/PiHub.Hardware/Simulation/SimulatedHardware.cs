using System.Device.I2c;
using PiHub.Core.Power;
using PiHub.Hardware.Voltage;

namespace PiHub.Hardware.Simulation;

/// <summary>
/// Dev mode's hardware: a GPIO chip, an INA219 and a folder standing in for <c>/sys</c> with the
/// Pi's under-voltage files, all driven through the same code as the real ones.
/// </summary>
public sealed class SimulatedHardware : IDisposable
{
    private readonly Dictionary<(int Bus, int Address), SimulatedIna219> _ina219s = [];

    /// <summary>Creates the simulated <c>/sys</c> under <paramref name="sysRoot"/> (kept if it exists).</summary>
    public SimulatedHardware(string sysRoot)
    {
        SysRoot = sysRoot;
        var hwmon = Path.Combine(sysRoot, "class", "hwmon", "hwmon0");
        Directory.CreateDirectory(hwmon);
        WriteIfMissing(Path.Combine(hwmon, "name"), "rpi_volt\n");
        WriteIfMissing(Path.Combine(hwmon, "in0_lcrit_alarm"), "0\n");
        var throttled = Path.Combine(sysRoot, ThrottledPath);
        Directory.CreateDirectory(Path.GetDirectoryName(throttled)!);
        WriteIfMissing(throttled, "0\n");
        // The header's I²C bus as the kernel shows it, so the INA219's bus is found as on a Pi.
        var adapter = Path.Combine(sysRoot, "bus", "i2c", "devices", $"i2c-{HeaderBus}");
        Directory.CreateDirectory(adapter);
        var node = Path.Combine(adapter, "of_node");
        if (new DirectoryInfo(node).LinkTarget is null) Directory.CreateSymbolicLink(node, "../../../../firmware/devicetree/base/soc/" + I2cHeaderBus.NodeName);
    }

    /// <summary>The number of the simulated header I²C bus.</summary>
    public const int HeaderBus = 1;

    /// <summary>The folder standing in for <c>/sys</c>.</summary>
    public string SysRoot { get; }

    public SimulatedGpioDriver Gpio { get; } = new();

    /// <summary>The hwmon alarm file: write "1" for under-voltage.</summary>
    public string HwmonAlarmPath => Path.Combine(SysRoot, "class", "hwmon", "hwmon0", "in0_lcrit_alarm");

    /// <summary>The firmware flags file: write hex, bit 0 now, bit 16 since boot.</summary>
    public string ThrottledFilePath => Path.Combine(SysRoot, ThrottledPath);

    private static string ThrottledPath => ThrottledVoltageSource.RelativePath;

    /// <summary>The simulated INA219 at the configured bus and address (created on first use).</summary>
    public SimulatedIna219 Ina219(VoltageOptions options) => Ina219(new I2cConnectionSettings(options.I2cBus ?? HeaderBus, options.I2cAddress));

    /// <summary>Opens an I²C device: an INA219 at any address (as if one were fitted).</summary>
    public I2cDevice OpenI2c(I2cConnectionSettings settings) => Ina219(settings);

    public void Dispose() => Gpio.Dispose();

    private SimulatedIna219 Ina219(I2cConnectionSettings settings)
    {
        lock (_ina219s)
        {
            var key = (settings.BusId, settings.DeviceAddress);
            if (!_ina219s.TryGetValue(key, out var chip)) _ina219s[key] = chip = new SimulatedIna219(settings);
            return chip;
        }
    }

    private static void WriteIfMissing(string path, string text)
    {
        if (!File.Exists(path)) File.WriteAllText(path, text);
    }
}
