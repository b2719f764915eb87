using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PiHub.Core.Hub;
using PiHub.Core.Power;
using PiHub.Storage;
using PiHub.Storage.Hub;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Testing;

namespace PiHub.Server.Tests.Power;

/// <summary>A power failure end to end: the simulated power-fail line through the real hub, stores and API.</summary>
public class PowerFailTests
{
    private const string PowerFailingMessage = "power is failing; changes are paused until power is back";

    [Test]
    public async Task FailEdge_RestServiceCall_503WithPowerFailingMessage()
    {
        await using var power = await PowerHub.StartAsync();
        using var owner = await power.Hub.OnboardAsync();

        await power.FailAsync();
        using var response = await owner.PostAsync("api/services/input_boolean/turn_on", TestHub.Json("""{"entity_id": "input_boolean.porch"}"""));
        var body = await TestHub.JsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(body["message"]!.GetValue<string>(), Is.EqualTo(PowerFailingMessage));
        Assert.That(body["code"]!.GetValue<string>(), Is.EqualTo("power_failing"));
    }

    [Test]
    public async Task FailEdge_WebSocketWrites_ErrorPowerFailingAndReadsStillWork()
    {
        await using var power = await PowerHub.StartAsync();
        using var owner = await power.Hub.OnboardAsync();
        var (ws, _) = await WsClient.AuthenticateAsync(power.Hub.WebSocketUri, power.Hub.AccessToken);
        await using var _ = ws;

        await power.FailAsync();
        var hubWrite = await ws.CallAsync("call_service", new JsonObject { ["domain"] = "input_boolean", ["service"] = "toggle", ["service_data"] = new JsonObject { ["entity_id"] = "input_boolean.porch" } });
        var authWrite = await ws.CallAsync("auth/long_lived_access_token", new JsonObject { ["client_name"] = "During brownout", ["lifespan"] = 30 });
        var states = await ws.CallAsync("get_states");
        using var rest = await owner.GetAsync("api/states/binary_sensor.power_fail");
        var powerFail = await TestHub.JsonAsync(rest);

        Assert.That(hubWrite["error"]!["code"]!.GetValue<string>(), Is.EqualTo("power_failing"));
        Assert.That(hubWrite["error"]!["message"]!.GetValue<string>(), Is.EqualTo(PowerFailingMessage));
        Assert.That(authWrite["error"]!["code"]!.GetValue<string>(), Is.EqualTo("power_failing"));
        Assert.That(states["success"]!.GetValue<bool>(), Is.True);
        Assert.That(powerFail["state"]!.GetValue<string>(), Is.EqualTo("on"));
        Assert.That(powerFail["attributes"]!["writes_paused"]!.GetValue<bool>(), Is.True);
    }

    [Test]
    public async Task Stop_WhilePowerFailingWithLastUseDue_StopsCleanly()
    {
        // What logind's shutdown looks like: the service stops while writes are paused, with a
        // token's "last used" time waiting to be written.
        var power = await PowerHub.StartAsync();
        using var owner = await power.Hub.OnboardAsync();
        await power.FailAsync();
        power.Time.Advance(TimeSpan.FromMinutes(6));
        (await owner.GetAsync("api/states")).Dispose(); // its "last used" write is refused and stays due

        Assert.That(async () => await power.DisposeAsync(), Throws.Nothing);
    }

    [Test]
    public async Task PowerCutDuringPause_FilesHoldEveryAcknowledgedChangeAndNoRefusedOne()
    {
        await using var power = await PowerHub.StartAsync();
        using var owner = await power.Hub.OnboardAsync();
        using (var on = await owner.PostAsync("api/services/input_boolean/turn_on", TestHub.Json("""{"entity_id": "input_boolean.porch"}""")))
        {
            Assert.That(on.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        await power.FailAsync();
        using (var off = await owner.PostAsync("api/services/input_boolean/turn_off", TestHub.Json("""{"entity_id": "input_boolean.porch"}""")))
        {
            Assert.That(off.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        }

        // The power cut: the medium keeps what was flushed. Every file as it is now is what a
        // cut leaves, since the gate lets nothing be written after the flush.
        var cut = Directory.CreateTempSubdirectory("pihub-cut-").FullName;
        try
        {
            foreach (var file in new[] { "auth.db", "auth-log.db", "hub.db", "hub-log.db" }.Where(f => File.Exists(Path.Combine(power.Hub.DataDir, f))))
            {
                File.Copy(Path.Combine(power.Hub.DataDir, file), Path.Combine(cut, file));
            }

            var logBytes = new FileInfo(Path.Combine(cut, "hub-log.db")).Length;
            using var hubStore = LiteHubStore.Open(cut, NullLogger.Instance, TimeProvider.System);
            using var authStore = LiteAuthStore.Open(new AuthStoreOptions { Directory = cut, BackgroundMaintenance = false }, NullLogger.Instance, TimeProvider.System);

            Assert.That(hubStore.LoadAll("restore_state")["input_boolean.porch"], Is.EqualTo("\"on\""), "the acknowledged turn_on is on the medium, the refused turn_off is not");
            Assert.That(authStore.Recovery, Is.Null, "the auth store opens cleanly, nothing to recover");
            Assert.That(authStore.Current.Users.Values.Count(u => u.IsOwner), Is.EqualTo(1));
            Assert.That(logBytes, Is.Zero, "the hub store's log was checkpointed into its data file");
        }
        finally
        {
            Directory.Delete(cut, recursive: true);
        }
    }

    [Test]
    public async Task Recovery_AfterRecoverySeconds_WritesResumeBrownoutRecordedAndOwnerNotified()
    {
        await using var power = await PowerHub.StartAsync();
        using var owner = await power.Hub.OnboardAsync();
        var (ws, _) = await WsClient.AuthenticateAsync(power.Hub.WebSocketUri, power.Hub.AccessToken);
        await using var _ = ws;
        await ws.CallAsync("subscribe_events", new JsonObject { ["event_type"] = PowerManager.RestoredEvent });

        await power.FailAsync();
        (await owner.PostAsync("api/services/input_boolean/turn_on", TestHub.Json("""{"entity_id": "input_boolean.porch"}"""))).Dispose();
        await power.ReleaseAsync();
        using (var stillPaused = await owner.PostAsync("api/services/input_boolean/turn_on", TestHub.Json("""{"entity_id": "input_boolean.porch"}""")))
        {
            Assert.That(stillPaused.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "writes wait for power.recovery_s of good power");
        }

        await power.RecoverAsync();
        using var resumed = await owner.PostAsync("api/services/input_boolean/turn_on", TestHub.Json("""{"entity_id": "input_boolean.porch"}"""));
        var status = await TestHub.JsonAsync(await owner.GetAsync("api/pihub/power"));
        var restored = await ws.ReceiveAsync(m => m["type"]?.GetValue<string>() == "event");
        var notifications = await ws.CallAsync("persistent_notification/get");
        var today = await TestHub.JsonAsync(await owner.GetAsync("api/states/sensor.brownouts_today"));

        Assert.That(resumed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var brownout = status["brownouts"]![0]!;
        Assert.That(brownout["cause"]!.GetValue<string>(), Does.Contain("GPIO 6"));
        Assert.That(brownout["refused_total"]!.GetValue<int>(), Is.EqualTo(2));
        Assert.That(brownout["refused"]![0]!["what"]!.GetValue<string>(), Is.EqualTo("save restore_state/input_boolean.porch"));
        Assert.That(DateTimeOffset.Parse(brownout["end"]!.GetValue<string>()) - DateTimeOffset.Parse(brownout["start"]!.GetValue<string>()), Is.EqualTo(TimeSpan.FromSeconds(10.01)));
        Assert.That(restored["event"]!["event_type"]!.GetValue<string>(), Is.EqualTo(PowerManager.RestoredEvent));
        var note = notifications["result"]!.AsObject().Select(n => n.Value!).Single(n => n["notification_id"]!.GetValue<string>().StartsWith("power_brownout_", StringComparison.Ordinal));
        Assert.That(note["message"]!.GetValue<string>(), Does.Contain("2 changes were refused"));
        Assert.That(today["state"]!.GetValue<string>(), Is.EqualTo("1"));
    }

    [Test]
    public async Task Brownout_AfterRestart_StillListed()
    {
        var dir = Directory.CreateTempSubdirectory("pihub-test-").FullName;
        try
        {
            await using (var first = await PowerHub.StartAsync(dataDir: dir))
            {
                await first.FailAsync();
                await first.ReleaseAsync();
                await first.RecoverAsync();
            }

            await using var second = await PowerHub.StartAsync(dataDir: dir);
            Assert.That(second.Power.Brownouts, Has.Count.EqualTo(1));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public async Task FlappingPin_FiftyEdgesThenGood_OneFailingEventOneBrownout()
    {
        await using var power = await PowerHub.StartAsync();
        var failing = 0;
        using var subscription = power.Hub.Service<HubCore>().Bus.Subscribe(PowerManager.FailingEvent, _ => Interlocked.Increment(ref failing));

        for (var i = 0; i < 50; i++)
        {
            power.Sim.Gpio.SetInput(PowerHub.FailPin, i % 2 == 0);
            await power.Sim.Gpio.DrainAsync();
            power.Time.Advance(TimeSpan.FromMilliseconds(2)); // well inside the 10 ms debounce
        }

        await power.ReleaseAsync();
        await power.RecoverAsync();

        Assert.That(failing, Is.EqualTo(1));
        Assert.That(power.Power.Brownouts, Has.Count.EqualTo(1));
        Assert.That(power.Hub.Service<WriteGate>().IsPaused, Is.False);
    }

    [Test]
    public async Task PowerBadAgainDuringRecovery_StillOneBrownout()
    {
        await using var power = await PowerHub.StartAsync();

        await power.FailAsync();
        await power.ReleaseAsync();
        power.Time.Advance(TimeSpan.FromSeconds(5));
        await power.FailAsync();
        power.Time.Advance(TimeSpan.FromSeconds(10));
        var pausedWhileBad = power.Hub.Service<WriteGate>().IsPaused;
        await power.ReleaseAsync();
        await power.RecoverAsync();

        Assert.That(pausedWhileBad, Is.True);
        Assert.That(power.Power.Brownouts, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task SimulateEndpoint_FailThenRestore_PausesThenResumes()
    {
        await using var power = await PowerHub.StartAsync();
        using var owner = await power.Hub.OnboardAsync();

        var failed = await TestHub.JsonAsync(await owner.PostAsync("api/pihub/power/simulate", TestHub.Json("""{"state": "fail"}""")));
        var paused = power.Hub.Service<WriteGate>().IsPaused;
        var restored = await TestHub.JsonAsync(await owner.PostAsync("api/pihub/power/simulate", TestHub.Json("""{"state": "restore"}""")));
        power.Time.Advance(TimeSpan.FromMilliseconds(10));
        await power.RecoverAsync();

        Assert.That(failed["failing"]!.GetValue<bool>(), Is.True);
        Assert.That(paused, Is.True);
        Assert.That(restored["message"]!.GetValue<string>(), Does.Contain("resume after 10 s"));
        Assert.That(power.Hub.Service<WriteGate>().IsPaused, Is.False);
    }

    [Test]
    public async Task SimulateEndpoint_RealHardware_RefusedAsDevModeOnly()
    {
        await using var power = await PowerHub.StartAsync(new() { ["power:simulate"] = "false", ["power:fail_pin:pin"] = "6" });
        using var owner = await power.Hub.OnboardAsync();

        using var response = await owner.PostAsync("api/pihub/power/simulate", TestHub.Json("""{"state": "fail"}"""));
        var body = await TestHub.JsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(body["code"]!.GetValue<string>(), Is.EqualTo("dev_mode_only"));
        Assert.That(power.Hub.Service<WriteGate>().IsPaused, Is.False);
    }

    [Test]
    public async Task FailEdge_RecorderCommitsWhatItHeld()
    {
        // Issue 12: the recorder's batch (up to commit_interval of changes) reaches the SD card before the lights go out.
        await using var power = await PowerHub.StartAsync();
        using var owner = await power.Hub.OnboardAsync();
        var recorder = power.Hub.Service<PiHub.Core.Recorder.HistoryRecorder>();
        using var posted = await owner.PostAsync("api/states/sensor.before_brownout", TestHub.Json("""{"state":"42"}"""));
        var before = recorder.Status;

        await power.FailAsync();
        var after = recorder.Status;

        // The clock is fake: without the flush no commit would happen (the power sensor's own change, recorded after
        // the flush, stays pending until the next one).
        Assert.That(before.Pending, Is.GreaterThan(0), "the change waited for the next commit");
        Assert.That(after.Commits, Is.GreaterThan(before.Commits));
    }
}
