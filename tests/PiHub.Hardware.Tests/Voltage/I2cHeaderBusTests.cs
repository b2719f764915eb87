using System.Device.I2c;
using PiHub.Core.Power;
using PiHub.Hardware.Simulation;
using PiHub.Hardware.Voltage;

namespace PiHub.Hardware.Tests.Voltage;

/// <summary>The header's I²C bus found by its device-tree node in a temporary folder standing in for /sys.</summary>
public class I2cHeaderBusTests
{
    private string _sys = null!;

    [SetUp]
    public void SetUp() => _sys = Directory.CreateTempSubdirectory("pihub-sys-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_sys, recursive: true);

    /// <summary>i2c-N with its of_node link (and optionally its device link) as a Pi 4 on Debian's kernel shows them.</summary>
    private void Adapter(int bus, string? node, string? device = null)
    {
        var dir = Path.Combine(_sys, "bus", "i2c", "devices", $"i2c-{bus}");
        Directory.CreateDirectory(dir);
        if (node is not null) Directory.CreateSymbolicLink(Path.Combine(dir, "of_node"), $"../../../../firmware/devicetree/base/{node}");
        if (device is not null) Directory.CreateSymbolicLink(Path.Combine(dir, "device"), $"../../../{device}");
    }

    private void DebianPi4Buses()
    {
        // The HDMI DDC buses and the firmware's take the low numbers; the header's came up as i2c-3.
        Adapter(0, "soc/i2c@7ef04500");
        Adapter(1, "soc/i2c@7ef09500");
        Adapter(2, "soc/i2c@7e205000");
        Adapter(3, "soc/i2c@7e804000");
    }

    [Test]
    public void Find_HeaderBusIsI2c3_Picks3()
    {
        DebianPi4Buses();

        var bus = I2cHeaderBus.Find(_sys, out var why);

        Assert.That(bus, Is.EqualTo(3));
        Assert.That(why, Is.Null);
    }

    [Test]
    public void Find_OnlyDeviceLink_PicksByPlatformDeviceName()
    {
        Adapter(0, null, "fe205000.i2c");
        Adapter(5, null, "fe804000.i2c");

        Assert.That(I2cHeaderBus.Find(_sys, out _), Is.EqualTo(5));
    }

    [Test]
    public void Find_NoHeaderBus_NullAndNamesTheBuses()
    {
        Adapter(0, "soc/i2c@7ef04500");
        Adapter(1, "soc/i2c@7ef09500");

        var bus = I2cHeaderBus.Find(_sys, out var why);

        Assert.That(bus, Is.Null);
        Assert.That(why, Is.EqualTo("no I²C bus is the header's (i2c@7e804000); the buses are i2c-0 (i2c@7ef04500), i2c-1 (i2c@7ef09500). Set power.voltage.i2c_bus to the INA219's bus"));
    }

    [Test]
    public void Find_NoBusAtAll_SaysHowToEnableI2c()
    {
        I2cHeaderBus.Find(_sys, out var why);

        Assert.That(why, Does.StartWith("no I²C bus exists").And.Contain("dtparam=i2c_arm=on"));
    }

    [Test]
    public void Open_Auto_OpensTheIna219OnTheHeaderBusFound()
    {
        DebianPi4Buses();
        var opened = new List<int>();

        var source = VoltageSources.Open(new VoltageOptions(), _sys, s =>
        {
            opened.Add(s.BusId);
            return new SimulatedIna219(s);
        }, new ListLogger());

        Assert.That(opened, Is.EqualTo(new[] { 3 }));
        Assert.That(source!.Name, Does.Contain("INA219 on i2c-3 at 0x40"));
    }

    [Test]
    public void Open_I2cBusConfigured_OverridesTheFinder()
    {
        DebianPi4Buses();
        var opened = new List<int>();

        VoltageSources.Open(new VoltageOptions { I2cBus = 7, Source = VoltageSourceKind.Ina219 }, _sys, s =>
        {
            opened.Add(s.BusId);
            return new SimulatedIna219(s);
        }, new ListLogger());

        Assert.That(opened, Is.EqualTo(new[] { 7 }));
    }

    [Test]
    public void Open_Ina219NoHeaderBus_OneLineSaysWhy()
    {
        var logger = new ListLogger();

        var source = VoltageSources.Open(new VoltageOptions { Source = VoltageSourceKind.Ina219 }, _sys, _ => throw new IOException("not wanted"), logger);

        Assert.That(source, Is.Null);
        Assert.That(logger.Lines.Single(), Does.StartWith("power.voltage.source is ina219 but no INA219 bus: no I²C bus exists"));
    }
}
