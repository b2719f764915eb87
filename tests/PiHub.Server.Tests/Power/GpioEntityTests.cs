using System.Net;
using System.Text.Json.Nodes;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Testing;

namespace PiHub.Server.Tests.Power;

/// <summary>gpio.switches and gpio.binary_sensors on the simulated chip, over REST and WebSocket.</summary>
public class GpioEntityTests
{
    private static readonly Dictionary<string, string?> s_gpio = new()
    {
        ["gpio:switches:0:name"] = "pump",
        ["gpio:switches:0:pin"] = "17",
        ["gpio:switches:1:name"] = "siren",
        ["gpio:switches:1:pin"] = "18",
        ["gpio:switches:1:active_low"] = "true",
        ["gpio:binary_sensors:0:name"] = "door",
        ["gpio:binary_sensors:0:pin"] = "27",
        ["gpio:binary_sensors:0:pull"] = "up",
        ["gpio:binary_sensors:0:active_low"] = "true",
        ["gpio:binary_sensors:0:debounce_ms"] = "50",
        ["gpio:binary_sensors:0:device_class"] = "door",
    };

    [Test]
    public async Task Switch_TurnOnOverRest_PinHighAndStateOn()
    {
        await using var power = await PowerHub.StartAsync(s_gpio);
        using var owner = await power.Hub.OnboardAsync();
        var before = power.Sim.Gpio.OutputLevel(17);

        using var response = await owner.PostAsync("api/services/switch/turn_on", TestHub.Json("""{"entity_id": "switch.pump"}"""));
        var state = await TestHub.JsonAsync(await owner.GetAsync("api/states/switch.pump"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(before, Is.False);
        Assert.That(power.Sim.Gpio.OutputLevel(17), Is.True);
        Assert.That(state["state"]!.GetValue<string>(), Is.EqualTo("on"));
    }

    [Test]
    public async Task Switch_ActiveLowToggleOverWebSocket_PinLowWhenOn()
    {
        await using var power = await PowerHub.StartAsync(s_gpio);
        await power.Hub.OnboardAsync();
        var (ws, _) = await WsClient.AuthenticateAsync(power.Hub.WebSocketUri, power.Hub.AccessToken);
        await using var _ = ws;
        var offLevel = power.Sim.Gpio.OutputLevel(18);

        var result = await ws.CallAsync("call_service", new JsonObject { ["domain"] = "switch", ["service"] = "toggle", ["target"] = new JsonObject { ["entity_id"] = "switch.siren" } });
        var states = await ws.CallAsync("get_states");

        Assert.That(result["success"]!.GetValue<bool>(), Is.True, result.ToJsonString());
        Assert.That(offLevel, Is.True, "active_low: off drives the pin high");
        Assert.That(power.Sim.Gpio.OutputLevel(18), Is.False);
        Assert.That(states["result"]!.AsArray().Single(s => s!["entity_id"]!.GetValue<string>() == "switch.siren")!["state"]!.GetValue<string>(), Is.EqualTo("on"));
    }

    [Test]
    public async Task Switch_HomeAssistantTurnOff_ReachesGpioSwitch()
    {
        await using var power = await PowerHub.StartAsync(s_gpio);
        using var owner = await power.Hub.OnboardAsync();
        (await owner.PostAsync("api/services/switch/turn_on", TestHub.Json("""{"entity_id": "switch.pump"}"""))).Dispose();

        using var response = await owner.PostAsync("api/services/homeassistant/turn_off", TestHub.Json("""{"entity_id": ["switch.pump", "input_boolean.porch"]}"""));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(power.Sim.Gpio.OutputLevel(17), Is.False);
    }

    [Test]
    public async Task BinarySensor_InputEdge_StateFollowsOverRestAndWebSocket()
    {
        await using var power = await PowerHub.StartAsync(s_gpio);
        using var owner = await power.Hub.OnboardAsync();
        var (ws, _) = await WsClient.AuthenticateAsync(power.Hub.WebSocketUri, power.Hub.AccessToken);
        await using var _ = ws;
        await ws.CallAsync("subscribe_entities", new JsonObject { ["entity_ids"] = new JsonArray("binary_sensor.door") });
        var initial = await ws.ReceiveAsync(m => m["type"]?.GetValue<string>() == "event");

        // The door contact closes to ground: pulled up, active low, so low means open (on).
        power.Sim.Gpio.SetInput(27, false);
        await power.Sim.Gpio.DrainAsync();
        power.Time.Advance(TimeSpan.FromMilliseconds(50));
        var change = await ws.ReceiveAsync(m => m["type"]?.GetValue<string>() == "event");
        var rest = await TestHub.JsonAsync(await owner.GetAsync("api/states/binary_sensor.door"));

        Assert.That(initial["event"]!["a"]!["binary_sensor.door"]!["s"]!.GetValue<string>(), Is.EqualTo("off"));
        Assert.That(change["event"]!["c"]!["binary_sensor.door"]!["+"]!["s"]!.GetValue<string>(), Is.EqualTo("on"));
        Assert.That(rest["state"]!.GetValue<string>(), Is.EqualTo("on"));
        Assert.That(rest["attributes"]!["device_class"]!.GetValue<string>(), Is.EqualTo("door"));
    }

    [Test]
    public async Task BinarySensor_BouncingContact_OneStateChange()
    {
        await using var power = await PowerHub.StartAsync(s_gpio);
        var changes = 0;
        using var subscription = power.Hub.Service<Core.Hub.HubCore>().States.Observe(_ => { }, e =>
        {
            if (e.EntityId == "binary_sensor.door") Interlocked.Increment(ref changes);
        });

        for (var i = 0; i < 21; i++)
        {
            power.Sim.Gpio.SetInput(27, i % 2 == 1); // ends low after 21 edges
            await power.Sim.Gpio.DrainAsync();
            power.Time.Advance(TimeSpan.FromMilliseconds(5));
        }

        power.Time.Advance(TimeSpan.FromMilliseconds(50));

        Assert.That(changes, Is.EqualTo(1));
        Assert.That(power.Hub.Service<Core.Hub.HubCore>().States.Get("binary_sensor.door")!.Value, Is.EqualTo("on"));
    }

    [Test]
    public async Task BinarySensor_DevGpioEndpoint_DrivesSimulatedInput()
    {
        await using var power = await PowerHub.StartAsync(s_gpio);
        using var owner = await power.Hub.OnboardAsync();

        using var response = await owner.PostAsync("api/pihub/gpio/27", TestHub.Json("""{"level": "low"}"""));
        power.Time.Advance(TimeSpan.FromMilliseconds(50));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(power.Hub.Service<Core.Hub.HubCore>().States.Get("binary_sensor.door")!.Value, Is.EqualTo("on"));
    }

    [Test]
    public async Task RegistryLists_GpioAndPowerEntities_OnThePiHubDevice()
    {
        // Issue 12: every entity PiHub defines has a registry entry; its GPIO and power entities belong to the PiHub device.
        await using var power = await PowerHub.StartAsync(s_gpio);
        await power.Hub.OnboardAsync();
        var (ws, _) = await WsClient.AuthenticateAsync(power.Hub.WebSocketUri, power.Hub.AccessToken);
        await using var _ = ws;

        var entities = (await ws.CallAsync("config/entity_registry/list"))["result"]!.AsArray();
        var devices = (await ws.CallAsync("config/device_registry/list"))["result"]!.AsArray();
        var pihub = devices.Single(d => d!["name"]!.GetValue<string>() == "PiHub")!["id"]!.GetValue<string>();
        JsonNode Entry(string id) => entities.Single(e => e!["entity_id"]!.GetValue<string>() == id)!;

        foreach (var id in new[] { "switch.pump", "switch.siren", "binary_sensor.door", "binary_sensor.power_fail" })
        {
            Assert.That(Entry(id)["device_id"]!.GetValue<string>(), Is.EqualTo(pihub), id);
            Assert.That(Entry(id)["unique_id"]!.GetValue<string>(), Is.Not.Empty, id);
        }

        Assert.That(Entry("binary_sensor.power_fail")["entity_category"]!.GetValue<string>(), Is.EqualTo("diagnostic"));
    }
}
