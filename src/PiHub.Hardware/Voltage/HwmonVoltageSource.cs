using PiHub.Core.Power;

namespace PiHub.Hardware.Voltage;

/// <summary>
/// The Pi's own under-voltage detector through the kernel's raspberrypi-hwmon driver (Pi 3/4/5):
/// the hwmon device named <c>rpi_volt</c> and its <c>in0_lcrit_alarm</c>. The driver asks the
/// firmware every 2 s and clears the firmware's flag, so "1" means "under-voltage in the last poll".
/// It gives no volts.
/// </summary>
public sealed class HwmonVoltageSource : IVoltageSource
{
    private readonly string _alarmPath;

    private HwmonVoltageSource(string directory, bool simulated)
    {
        _alarmPath = Path.Combine(directory, "in0_lcrit_alarm");
        Name = $"{(simulated ? "simulated " : "")}hwmon rpi_volt ({directory})";
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public bool MeasuresVolts => false;

    /// <inheritdoc />
    public bool MeasuresAmps => false;

    /// <summary>
    /// Finds <c>class/hwmon/hwmon*/name == rpi_volt</c> under <paramref name="sysRoot"/>; null when absent.
    /// <paramref name="simulated"/> (dev mode's folder) puts "simulated" in its name.
    /// </summary>
    public static HwmonVoltageSource? TryFind(string sysRoot, bool simulated = false)
    {
        var hwmon = Path.Combine(sysRoot, "class", "hwmon");
        if (!Directory.Exists(hwmon)) return null;
        foreach (var dir in Directory.EnumerateDirectories(hwmon).Order(StringComparer.Ordinal))
        {
            var name = Path.Combine(dir, "name");
            try
            {
                if (File.Exists(name) && File.ReadAllText(name).Trim() == "rpi_volt" && File.Exists(Path.Combine(dir, "in0_lcrit_alarm")))
                {
                    return new HwmonVoltageSource(dir, simulated);
                }
            }
            catch (IOException)
            {
                // A hwmon device that vanished while we looked is not ours.
            }
        }

        return null;
    }

    /// <inheritdoc />
    public VoltageReading Read()
    {
        var text = File.ReadAllText(_alarmPath).Trim();
        return text switch
        {
            "0" => new VoltageReading(false),
            "1" => new VoltageReading(true),
            _ => throw new FormatException($"{_alarmPath} holds \"{text}\", not 0 or 1"),
        };
    }
}
