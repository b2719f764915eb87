using PiHub.Server.Tests.Infrastructure;

namespace PiHub.Server.Tests.Power;

/// <summary>
/// <c>GET /api/pihub/power</c> says which supply monitor is configured and which is in use, so the System page can
/// say truthfully why it has a voltage plot or not; and it lists brownouts, newest first.
/// </summary>
public class PowerStatusTests
{
    [Test]
    public async Task GetPower_VoltageSourceNone_SaysNoneConfiguredAndNoVolts()
    {
        await using var power = await PowerHub.StartAsync(new() { ["power:voltage:source"] = "none" });
        using var owner = await power.Hub.OnboardAsync();

        var status = await TestHub.JsonAsync(await owner.GetAsync("api/pihub/power"));

        Assert.That(status["voltage_source_config"]!.GetValue<string>(), Is.EqualTo("none"));
        Assert.That(status["voltage_source"], Is.Null);
        Assert.That(status["measures_volts"]!.GetValue<bool>(), Is.False);
    }

    [Test]
    public async Task GetPower_DevModeAuto_NamesTheSimulatedIna219ThatMeasuresVolts()
    {
        await using var power = await PowerHub.StartAsync(new() { ["power:voltage:source"] = "auto" });
        using var owner = await power.Hub.OnboardAsync();

        var status = await TestHub.JsonAsync(await owner.GetAsync("api/pihub/power"));

        Assert.That(status["voltage_source_config"]!.GetValue<string>(), Is.EqualTo("auto"));
        Assert.That(status["voltage_source"]!.GetValue<string>(), Does.Contain("INA219"));
        Assert.That(status["measures_volts"]!.GetValue<bool>(), Is.True);
    }

    [Test]
    public async Task GetPower_DevModeHwmon_UnderVoltageAvailableFromTheSimulatedDetector()
    {
        await using var power = await PowerHub.StartAsync(new() { ["power:voltage:source"] = "hwmon" });
        using var owner = await power.Hub.OnboardAsync();

        var status = await TestHub.JsonAsync(await owner.GetAsync("api/pihub/power"));
        var admin = power.Hub.Service<PiHub.Core.Admin.IPowerAdmin>().State;

        Assert.That(status["under_voltage"]!["available"]!.GetValue<bool>(), Is.True);
        Assert.That(status["under_voltage"]!["text"]!.GetValue<string>(), Does.StartWith("under-voltage: reported by simulated hwmon rpi_volt"));
        Assert.That(admin, Does.Contain("; under-voltage: reported by simulated hwmon rpi_volt"), "pihub-cli status shows it too");
        Assert.That(power.Logs.Lines.Select(l => l.Text), Has.Some.StartsWith("Under-voltage: reported by simulated hwmon rpi_volt"));
    }

    [Test]
    public async Task GetPower_AfterABrownout_ListsItWithCauseAndTimes()
    {
        await using var power = await PowerHub.StartAsync();
        using var owner = await power.Hub.OnboardAsync();

        await power.FailAsync();
        await power.ReleaseAsync();
        await power.RecoverAsync();
        var status = await TestHub.JsonAsync(await owner.GetAsync("api/pihub/power"));
        var brownout = status["brownouts"]!.AsArray().Single()!;

        Assert.That(brownout["cause"]!.GetValue<string>(), Does.Contain("GPIO 6"));
        Assert.That(brownout["start"]!.GetValue<DateTimeOffset>(), Is.LessThan(brownout["end"]!.GetValue<DateTimeOffset>()));
    }
}
