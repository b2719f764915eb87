using System.Text.Json.Nodes;
using PiHub.Core.Hub;
using PiHub.Core.Hub.Registries;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Testing;

namespace PiHub.Server.Tests.Registries;

/// <summary>The registry commands over a real WebSocket, against a hub configured with areas, floors and labels.</summary>
public class RegistryCommandsTests() : OnboardedHubTests(HubLifetime.PerFixture)
{
    internal static readonly Dictionary<string, string?> RegistrySettings = new()
    {
        ["floors:0:id"] = "ground",
        ["floors:0:name"] = "Ground floor",
        ["floors:0:level"] = "0",
        ["areas:0:id"] = "porch",
        ["areas:0:name"] = "Porch",
        ["areas:0:floor"] = "ground",
        ["areas:0:icon"] = "mdi:door",
        ["areas:1:id"] = "kitchen",
        ["areas:1:name"] = "Kitchen",
        ["labels:0:id"] = "lights",
        ["labels:0:name"] = "Lights",
        ["labels:0:color"] = "amber",
        ["input_boolean:porch:area"] = "porch",
        ["input_boolean:porch:labels:0"] = "lights",
    };

    private WsClient _ws = null!;

    protected override Dictionary<string, string?> Settings() => new(RegistrySettings);

    protected override async Task OnHubStartedAsync()
    {
        await Owner.PostAsync("api/states/sensor.posted", TestHub.Json("""{"state":"1"}"""));
        (_ws, _) = await WsClient.AuthenticateAsync(Hub.WebSocketUri, Hub.AccessToken);
    }

    [OneTimeTearDown]
    public async Task CloseSocketAsync() => await _ws.DisposeAsync();

    private async Task<JsonNode> ResultAsync(string type, JsonObject? fields = null)
    {
        var answer = await _ws.CallAsync(type, fields);
        Assert.That(answer["success"]!.GetValue<bool>(), Is.True, answer.ToJsonString());
        return answer["result"]!;
    }

    private static string[] Keys(JsonNode node) => [.. node.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal)];

    [Test]
    public async Task EntityRegistryList_ConfiguredHelper_HomeAssistantFieldsAndValues()
    {
        var list = (await ResultAsync("config/entity_registry/list")).AsArray();

        var porch = list.Single(e => e!["entity_id"]!.GetValue<string>() == "input_boolean.porch")!;
        Assert.That(Keys(porch), Is.EqualTo(new[]
        {
            "area_id", "categories", "config_entry_id", "config_subentry_id", "created_at", "device_id", "disabled_by", "entity_category",
            "entity_id", "has_entity_name", "hidden_by", "icon", "id", "labels", "modified_at", "name", "options", "original_name",
            "platform", "translation_key", "unique_id",
        }));
        Assert.That(porch["unique_id"]!.GetValue<string>(), Is.EqualTo("porch"));
        Assert.That(porch["platform"]!.GetValue<string>(), Is.EqualTo("input_boolean"));
        Assert.That(porch["original_name"]!.GetValue<string>(), Is.EqualTo("Porch light"));
        Assert.That(porch["area_id"]!.GetValue<string>(), Is.EqualTo("porch"));
        Assert.That(porch["labels"]!.AsArray().Select(l => l!.GetValue<string>()), Is.EqualTo(new[] { "lights" }));
        Assert.That(porch["created_at"]!.GetValue<double>(), Is.GreaterThan(1.7e9));
    }

    [Test]
    public async Task EntityRegistryList_StatePostedOverRest_NotListed()
    {
        var list = (await ResultAsync("config/entity_registry/list")).AsArray();

        Assert.That(Hub.Service<HubCore>().States.Get("sensor.posted"), Is.Not.Null);
        Assert.That(list.Select(e => e!["entity_id"]!.GetValue<string>()), Does.Not.Contain("sensor.posted"));
    }

    [Test]
    public async Task ListForDisplay_ConfiguredHelper_ShortKeys()
    {
        var result = await ResultAsync("config/entity_registry/list_for_display");

        Assert.That(result["entity_categories"]!.ToJsonString(), Is.EqualTo("""{"0":"config","1":"diagnostic"}"""));
        Assert.That(result["entities"]!.AsArray().Single(e => e!["ei"]!.GetValue<string>() == "input_boolean.porch")!.ToJsonString(),
            Is.EqualTo("""{"ei":"input_boolean.porch","pl":"input_boolean","ai":"porch","lb":["lights"]}"""));
    }

    [Test]
    public async Task EntityRegistryGet_Known_ListFieldsPlusExtended()
    {
        var entry = await ResultAsync("config/entity_registry/get", new JsonObject { ["entity_id"] = "input_boolean.porch" });

        Assert.That(Keys(entry), Is.SupersetOf(new[] { "aliases", "capabilities", "device_class", "original_device_class", "original_icon", "unique_id", "area_id" }));
    }

    [Test]
    public async Task EntityRegistryGet_PostedState_NotFoundSayingWhy()
    {
        var answer = await _ws.CallAsync("config/entity_registry/get", new JsonObject { ["entity_id"] = "sensor.posted" });

        Assert.That(answer["error"]!["code"]!.GetValue<string>(), Is.EqualTo("not_found"));
        Assert.That(answer["error"]!["message"]!.GetValue<string>(), Does.Contain("POST /api/states").And.Contain("config/entity_registry/list"));
    }

    [Test]
    public async Task DeviceRegistryList_OneDevice_PiHubWithItsVersion()
    {
        var device = (await ResultAsync("config/device_registry/list")).AsArray().Single()!;

        Assert.That(Keys(device), Is.EqualTo(new[]
        {
            "area_id", "config_entries", "config_entries_subentries", "configuration_url", "connections", "created_at", "disabled_by",
            "entry_type", "hw_version", "id", "identifiers", "labels", "manufacturer", "model", "model_id", "modified_at", "name",
            "name_by_user", "primary_config_entry", "serial_number", "sw_version", "via_device_id",
        }));
        Assert.That(device["name"]!.GetValue<string>(), Is.EqualTo("PiHub"));
        Assert.That(device["sw_version"]!.GetValue<string>(), Is.EqualTo(Hub.Service<HubCore>().Info.Version));
        Assert.That(device["model"]!.GetValue<string>(), Is.Not.Empty);
        Assert.That(device["identifiers"]!.ToJsonString(), Is.EqualTo("""[["pihub","hub"]]"""));
    }

    [Test]
    public async Task AreaFloorLabelLists_FromConfig_HomeAssistantShapes()
    {
        var areas = (await ResultAsync("config/area_registry/list")).AsArray();
        var floor = (await ResultAsync("config/floor_registry/list")).AsArray().Single()!;
        var label = (await ResultAsync("config/label_registry/list")).AsArray().Single()!;

        Assert.That(areas.Select(a => a!["area_id"]!.GetValue<string>()), Is.EqualTo(new[] { "porch", "kitchen" }));
        Assert.That(Keys(areas[0]!), Is.EqualTo(new[]
        {
            "aliases", "area_id", "created_at", "floor_id", "humidity_entity_id", "icon", "labels", "modified_at", "name", "picture", "temperature_entity_id",
        }));
        Assert.That(areas[0]!["floor_id"]!.GetValue<string>(), Is.EqualTo("ground"));
        Assert.That(Keys(floor), Is.EqualTo(new[] { "aliases", "created_at", "floor_id", "icon", "level", "modified_at", "name" }));
        Assert.That(floor["level"]!.GetValue<int>(), Is.Zero);
        Assert.That(Keys(label), Is.EqualTo(new[] { "color", "created_at", "description", "icon", "label_id", "modified_at", "name" }));
        Assert.That(label["color"]!.GetValue<string>(), Is.EqualTo("amber"));
    }

    [Test]
    public async Task EntityRegisteredAtRuntime_Subscriber_GetsCreateEventThenSeesItListed()
    {
        var subscription = await _ws.CommandAsync("subscribe_events", new JsonObject { ["event_type"] = "entity_registry_updated" });
        await _ws.ReceiveAsync(m => m["id"]?.GetValue<int>() == subscription);

        await Hub.Service<HubCore>().Registries.RegisterAsync(new RegistryEntry("switch.pump", "gpio", "gpio17") { OriginalName = "Pump", OnHubDevice = true });
        var ev = await _ws.ReceiveAsync(m => m["id"]?.GetValue<int>() == subscription && m["type"]?.GetValue<string>() == "event");
        var list = (await ResultAsync("config/entity_registry/list")).AsArray();
        var device = (await ResultAsync("config/device_registry/list")).AsArray().Single()!;

        Assert.That(ev["event"]!["data"]!.ToJsonString(), Is.EqualTo("""{"action":"create","entity_id":"switch.pump"}"""));
        Assert.That(list.Single(e => e!["entity_id"]!.GetValue<string>() == "switch.pump")!["device_id"]!.GetValue<string>(),
            Is.EqualTo(device["id"]!.GetValue<string>()));
        await Hub.Service<HubCore>().Registries.UnregisterAsync("switch.pump");
    }
}
