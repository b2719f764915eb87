using System.Device.I2c;
using PiHub.Core.Power;
using PiHub.Hardware.Voltage;

namespace PiHub.Hardware.Tests.Voltage;

/// <summary>What binary_sensor.under_voltage can be on Debian's kernel and on Raspberry Pi OS's, on a temporary /sys.</summary>
public class UnderVoltageProbeTests
{
    private string _sys = null!;

    [SetUp]
    public void SetUp() => _sys = Directory.CreateTempSubdirectory("pihub-sys-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_sys, recursive: true);

    private static I2cDevice NoI2c(I2cConnectionSettings s) => throw new IOException($"/dev/i2c-{s.BusId} does not exist");

    private void Model(string model)
    {
        var path = Path.Combine(_sys, UnderVoltageProbe.ModelPath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, model + "\0");
    }

    private UnderVoltageStatus Probe(VoltageOptions options) =>
        UnderVoltageProbe.Describe(options, _sys, VoltageSources.Open(options, _sys, NoI2c, new ListLogger()));

    [Test]
    public void Describe_DebianKernelOnAPi_UnavailableWithTheReasonInOneLine()
    {
        // Debian's arm64 kernel: no rpi_volt hwmon (CONFIG_SENSORS_RASPBERRYPI_HWMON unset), no get_throttled.
        Model("Raspberry Pi 4 Model B Rev 1.4");
        Directory.CreateDirectory(Path.Combine(_sys, "class", "hwmon", "hwmon0"));
        File.WriteAllText(Path.Combine(_sys, "class", "hwmon", "hwmon0", "name"), "cpu_thermal\n");

        var status = Probe(new VoltageOptions());

        Assert.That(status.Available, Is.False);
        Assert.That(status.Text, Does.StartWith("under-voltage: not available on this kernel (Debian's kernel has no rpi_volt hwmon or get_throttled")
            .And.Contain("connect an INA219").And.Not.Contain("\n"));
    }

    [Test]
    public void Describe_RaspberryPiOsRootWithGetThrottled_Available()
    {
        Model("Raspberry Pi 4 Model B Rev 1.4");
        var file = Path.Combine(_sys, ThrottledVoltageSource.RelativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, "0x0\n");

        var status = Probe(new VoltageOptions());

        Assert.That(status.Available, Is.True);
        Assert.That(status.Text, Is.EqualTo($"under-voltage: reported by firmware get_throttled ({file})"));
    }

    [Test]
    public void Describe_NotAPi_SaysSo()
    {
        var status = Probe(new VoltageOptions());

        Assert.That(status.Available, Is.False);
        Assert.That(status.Text, Does.StartWith("under-voltage: not available: not a Raspberry Pi (no device-tree model)"));
    }

    [Test]
    public void Describe_SourceNone_NotWatchedByConfiguration()
    {
        Model("Raspberry Pi 4 Model B Rev 1.4");

        var status = Probe(new VoltageOptions { Source = VoltageSourceKind.None });

        Assert.That(status, Is.EqualTo(new UnderVoltageStatus(false, "under-voltage: not watched (power.voltage.source: none)")));
    }

    [Test]
    public void Describe_Ina219AskedButAbsentWhileThePiDetectorExists_SaysAutoWouldUseIt()
    {
        Model("Raspberry Pi 4 Model B Rev 1.4");
        var file = Path.Combine(_sys, ThrottledVoltageSource.RelativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, "0x0\n");

        var status = Probe(new VoltageOptions { Source = VoltageSourceKind.Ina219 });

        Assert.That(status.Available, Is.False);
        Assert.That(status.Text, Does.StartWith("under-voltage: not watched: power.voltage.source is ina219, which was not found; firmware get_throttled"));
    }
}
