using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PiHub.Core.Power;
using PiHub.Hardware.Simulation;
using PiHub.Server.Tests.Infrastructure;

namespace PiHub.Server.Tests.Power;

/// <summary>Sources that are missing, the Pi's own under-voltage flag, and the shutdown seam.</summary>
public class PowerMonitoringTests
{
    [Test]
    public async Task MissingGpioDriver_FailPinConfigured_NoPowerMonitoringInOneLogLine()
    {
        Assume.That(Directory.EnumerateFiles("/dev", "gpiochip*").Any(), Is.False, "this machine has a GPIO chip: the driver is not missing here");
        await using var power = await PowerHub.StartAsync(new() { ["power:simulate"] = "false", ["power:fail_pin:pin"] = "6" });
        using var owner = await power.Hub.OnboardAsync();

        var lines = power.Logs.Lines.Where(l => l.Category == "PiHub.Power" && l.Level >= LogLevel.Warning).Select(l => l.Text).ToList();
        var status = await TestHub.JsonAsync(await owner.GetAsync("api/pihub/power"));
        using var write = await owner.PostAsync("api/services/input_boolean/turn_on", TestHub.Json("""{"entity_id": "input_boolean.porch"}"""));

        Assert.That(lines, Has.Count.EqualTo(1), string.Join("\n", lines));
        Assert.That(lines[0], Does.StartWith("No power monitoring from the power-fail pin (GPIO 6): the system has no GPIO chip"));
        Assert.That(status["monitoring"]!.GetValue<string>(), Is.EqualTo("no power monitoring"));
        Assert.That(write.StatusCode, Is.EqualTo(HttpStatusCode.OK), "without monitoring the hub simply keeps working");
        Assert.That((await owner.GetAsync("api/states/binary_sensor.power_fail")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task ShutdownAfter_PowerStaysBad_PowerOffRequestedThroughSeamAfterLogging()
    {
        var seam = new RecordingPowerOff();
        await using var power = await PowerHub.StartAsync(new() { ["power:shutdown_after_s"] = "30" },
            services => services.AddSingleton<IPowerOff>(seam));
        seam.Logs = power.Logs;

        await power.FailAsync();
        power.Time.Advance(TimeSpan.FromSeconds(29));
        await power.Power.WhenSettledAsync();
        var early = seam.Requests.Count;
        power.Time.Advance(TimeSpan.FromSeconds(1));
        await power.Power.WhenSettledAsync();

        Assert.That(early, Is.Zero);
        Assert.That(seam.Requests, Has.Count.EqualTo(1));
        Assert.That(seam.Requests[0], Does.Contain("power.shutdown_after_s"));
        Assert.That(seam.LoggedBefore, Is.True, "the request is logged before it is issued");
    }

    [Test]
    public async Task ShutdownAfter_PowerBackInTime_NoPowerOff()
    {
        await using var power = await PowerHub.StartAsync(new() { ["power:shutdown_after_s"] = "30" });

        await power.FailAsync();
        power.Time.Advance(TimeSpan.FromSeconds(20));
        await power.ReleaseAsync();
        power.Time.Advance(TimeSpan.FromSeconds(20));
        await power.Power.WhenSettledAsync();

        Assert.That(((SimulatedPowerOff)power.Hub.Service<IPowerOff>()).Requests, Is.Empty);
        Assert.That(power.Power.Brownouts.Single().ShutdownRequested, Is.False);
    }

    [Test]
    public async Task HwmonUnderVoltage_FakeSys_PausesWritesAndSetsUnderVoltage()
    {
        await using var power = await PowerHub.StartAsync(new() { ["power:voltage:source"] = "hwmon", ["power:voltage:poll_ms"] = "1000" });
        using var owner = await power.Hub.OnboardAsync();

        await File.WriteAllTextAsync(power.Sim.HwmonAlarmPath, "1\n");
        power.Time.Advance(TimeSpan.FromSeconds(1));
        await PowerHub.WaitUntilAsync(() => power.Power.IsFailing, "the poll to see the alarm");
        await power.Power.LastFlush;
        await power.Power.WhenSettledAsync();
        using var write = await owner.PostAsync("api/services/input_boolean/turn_on", TestHub.Json("""{"entity_id": "input_boolean.porch"}"""));
        var underVoltage = await TestHub.JsonAsync(await owner.GetAsync("api/states/binary_sensor.under_voltage"));

        Assert.That(write.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(underVoltage["state"]!.GetValue<string>(), Is.EqualTo("on"));
        Assert.That(underVoltage["attributes"]!["source"]!.GetValue<string>(), Does.StartWith("simulated hwmon rpi_volt"));
    }

    [Test]
    public async Task Ina219LowVolts_SupplySensorsAndLowestVoltageRecorded()
    {
        await using var power = await PowerHub.StartAsync(new() { ["power:voltage:source"] = "ina219", ["power:voltage:low_volts"] = "4.8" });
        using var owner = await power.Hub.OnboardAsync();
        var chip = power.Sim.Ina219(new VoltageOptions());

        chip.Set(4.52, 1.2);
        power.Time.Advance(TimeSpan.FromSeconds(1));
        await PowerHub.WaitUntilAsync(() => power.Power.IsFailing, "the poll to see 4.52 V");
        await power.Power.WhenSettledAsync();
        var volts = await TestHub.JsonAsync(await owner.GetAsync("api/states/sensor.supply_voltage"));
        var amps = await TestHub.JsonAsync(await owner.GetAsync("api/states/sensor.supply_current"));
        chip.Set(5.1, 0.8);
        power.Time.Advance(TimeSpan.FromSeconds(1));
        await PowerHub.WaitUntilAsync(() => power.Power.StatusText?.StartsWith("power back", StringComparison.Ordinal) == true, "the poll to see 5.1 V");
        await power.RecoverAsync();

        Assert.That(volts["state"]!.GetValue<string>(), Is.EqualTo("4.52"));
        Assert.That(volts["attributes"]!["unit_of_measurement"]!.GetValue<string>(), Is.EqualTo("V"));
        Assert.That(amps["state"]!.GetValue<string>(), Is.EqualTo("1.200"));
        Assert.That(power.Power.Brownouts.Single().LowestVolts, Is.EqualTo(4.52).Within(0.005));
    }

    /// <summary>The seam a real hub uses for logind; records requests and whether the log line came first.</summary>
    private sealed class RecordingPowerOff : IPowerOff
    {
        public List<string> Requests { get; } = [];

        public CapturedLogs? Logs { get; set; }

        public bool LoggedBefore { get; private set; }

        public Task<string> RequestAsync(string reason, CancellationToken cancellationToken = default)
        {
            LoggedBefore = Logs?.Lines.Any(l => l.Level == LogLevel.Critical && l.Text.Contains("requests a clean shutdown", StringComparison.Ordinal)) == true;
            Requests.Add(reason);
            return Task.FromResult("the test seam");
        }
    }
}
