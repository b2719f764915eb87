using System.Device.I2c;
using PiHub.Core.Power;
using PiHub.Hardware.Simulation;
using PiHub.Hardware.Voltage;

namespace PiHub.Hardware.Tests.Voltage;

/// <summary>The supply monitors on a temporary folder standing in for /sys and a simulated INA219.</summary>
public class VoltageSourcesTests
{
    private string _sys = null!;
    private ListLogger _logger = null!;

    [SetUp]
    public void SetUp()
    {
        _sys = Directory.CreateTempSubdirectory("pihub-sys-").FullName;
        _logger = new ListLogger();
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_sys, recursive: true);

    private static I2cDevice NoI2c(I2cConnectionSettings s) => throw new IOException($"/dev/i2c-{s.BusId} does not exist");

    private void Hwmon(string dir, string name, string? alarm)
    {
        var path = Path.Combine(_sys, "class", "hwmon", dir);
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, "name"), name + "\n");
        if (alarm is not null) File.WriteAllText(Path.Combine(path, "in0_lcrit_alarm"), alarm + "\n");
    }

    [Test]
    public void Hwmon_RpiVoltAmongOthers_ReadsItsAlarm()
    {
        Hwmon("hwmon0", "cpu_thermal", null);
        Hwmon("hwmon1", "rpi_volt", "1");

        var source = VoltageSources.Open(new VoltageOptions { Source = VoltageSourceKind.Hwmon }, _sys, NoI2c, _logger)!;

        Assert.That(source.Name, Does.Contain("hwmon1"));
        Assert.That(source.Read(), Is.EqualTo(new VoltageReading(true)));
        Assert.That(_logger.Lines, Is.Empty);
    }

    [Test]
    public void Hwmon_Absent_NullAndOneWarning()
    {
        var source = VoltageSources.Open(new VoltageOptions { Source = VoltageSourceKind.Hwmon }, _sys, NoI2c, _logger);

        Assert.That(source, Is.Null);
        Assert.That(_logger.Lines, Has.Count.EqualTo(1));
        Assert.That(_logger.Lines[0], Does.StartWith("power.voltage.source is hwmon but no hwmon device is named rpi_volt"));
    }

    [TestCase("50005", true, true)]
    [TestCase("0x10000", false, true)]
    [TestCase("throttled=0x0", false, false)]
    [TestCase("1\n", true, false)]
    public void Throttled_FirmwareFlags_NowAndSinceBoot(string text, bool now, bool sinceBoot)
    {
        var file = Path.Combine(_sys, ThrottledVoltageSource.RelativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, text);

        var reading = VoltageSources.Open(new VoltageOptions { Source = VoltageSourceKind.Throttled }, _sys, NoI2c, _logger)!.Read();

        Assert.That(reading, Is.EqualTo(new VoltageReading(now, OccurredSinceBoot: sinceBoot)));
    }

    [Test]
    public void Ina219_SimulatedChip_VoltsAmpsAndLowFlag()
    {
        var chip = new SimulatedIna219(new I2cConnectionSettings(1, 0x40));
        chip.Set(4.6, 1.5);

        var source = VoltageSources.Open(new VoltageOptions { Source = VoltageSourceKind.Ina219, I2cBus = 1, LowVolts = 4.75 }, _sys, _ => chip, _logger)!;
        var reading = source.Read();

        Assert.That(reading.Volts, Is.EqualTo(4.6).Within(0.004));
        Assert.That(reading.Amps, Is.EqualTo(1.5).Within(0.001));
        Assert.That(reading.UnderVoltage, Is.True);
    }

    [Test]
    public void Ina219_ChipStopsAnswering_ReadThrowsIOException()
    {
        var chip = new SimulatedIna219(new I2cConnectionSettings(1, 0x40));
        var source = VoltageSources.Open(new VoltageOptions { Source = VoltageSourceKind.Ina219, I2cBus = 1 }, _sys, _ => chip, _logger)!;

        chip.Fail = true;

        Assert.That(() => source.Read(), Throws.InstanceOf<IOException>());
    }

    [Test]
    public void Auto_NoIna219ButHwmon_PicksHwmonAndSaysSo()
    {
        Hwmon("hwmon2", "rpi_volt", "0");

        var source = VoltageSources.Open(new VoltageOptions(), _sys, NoI2c, _logger);

        Assert.That(source, Is.InstanceOf<HwmonVoltageSource>());
        Assert.That(_logger.Lines.Single(), Does.StartWith("Supply monitor (power.voltage.source: auto): hwmon rpi_volt"));
    }

    [Test]
    public void Auto_Nothing_NullAndOneLine()
    {
        var source = VoltageSources.Open(new VoltageOptions(), _sys, NoI2c, _logger);

        Assert.That(source, Is.Null);
        Assert.That(_logger.Lines.Single(), Does.StartWith("No supply monitor found (power.voltage.source: auto): no INA219 bus: no I²C bus exists"));
    }
}
