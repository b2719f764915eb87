using PiHub.Core.Hub.Gpio;
using PiHub.Core.Power;
using PiHub.Configuration;

namespace PiHub.Server.Tests.Power;

/// <summary>power.* and gpio.* validation: pin conflicts stop start-up with one sentence (exit code 78).</summary>
public class PowerConfigTests
{
    private static PiHubOptions Load(Dictionary<string, string?> settings) =>
        ConfigLoader.Load([], settings, defaultPath: "/nonexistent/pihub.yaml").Options;

    [Test]
    public void Load_NoFile_DevModeSimulatesFailPinSix()
    {
        var options = Load([]);

        Assert.That(options.Power.Simulate, Is.True);
        Assert.That(options.Power.FailPin, Is.EqualTo(new PinInputOptions(6, false, PinPull.None, TimeSpan.FromMilliseconds(10))));
        Assert.That(options.Power.Voltage.Source, Is.EqualTo(VoltageSourceKind.Auto));
    }

    [Test]
    public void Load_SamePinTwice_ConfigErrorNamingBoth()
    {
        var ex = Assert.Throws<ConfigException>(() => Load(new()
        {
            ["gpio:switches:0:name"] = "pump",
            ["gpio:switches:0:pin"] = "17",
            ["gpio:binary_sensors:0:name"] = "door",
            ["gpio:binary_sensors:0:pin"] = "17",
        }));

        Assert.That(ex!.Message, Does.StartWith("GPIO 17 is used twice in the embedded defaults (or a PIHUB__ environment variable): by gpio.switches[0] (pump) and by gpio.binary_sensors[0] (door)."));
    }

    [Test]
    public void Load_FailPinReused_ConfigError()
    {
        var ex = Assert.Throws<ConfigException>(() => Load(new()
        {
            ["power:fail_pin:pin"] = "6",
            ["gpio:switches:0:name"] = "pump",
            ["gpio:switches:0:pin"] = "6",
        }));

        Assert.That(ex!.Message, Does.Contain("by power.fail_pin and by gpio.switches[0] (pump)"));
    }

    [Test]
    public void Load_BadVoltageSource_NamesAccepted()
    {
        var ex = Assert.Throws<ConfigException>(() => Load(new() { ["power:voltage:source"] = "ups" }));

        Assert.That(ex!.Message, Does.Contain("power.voltage.source").And.Contain("auto, hwmon, throttled, ina219, none"));
    }

    [Test]
    public void Load_KeepDaysUnderNinety_Refused()
    {
        Assert.Throws<ConfigException>(() => Load(new() { ["power:brownouts_keep_days"] = "30" }));
    }

    [Test]
    public void Build_PinTheChipLacks_ConfigErrorAtStartUp()
    {
        var ex = Assert.ThrowsAsync<ConfigException>(async () => await Infrastructure.TestHub.StartAsync(new Dictionary<string, string?>
        {
            ["gpio:switches:0:name"] = "pump",
            ["gpio:switches:0:pin"] = "60",
        }));

        Assert.That(ex!.Message, Does.StartWith("GPIO 60 of gpio.switches[0] (pump) does not exist on simulated gpiochip0 [pinctrl-bcm2711], 58 lines (lines 0 to 57)"));
    }
}
