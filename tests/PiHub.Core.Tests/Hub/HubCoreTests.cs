using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using PiHub.Core.Hub;
using PiHub.Core.Hub.Domains;
using PiHub.Testing;

namespace PiHub.Core.Tests.Hub;

public class HubCoreTests
{
    private static readonly HubInfo Info = new("Home", "UTC", "metric", "0.1.0");
    private readonly FakeTimeProvider _time = new();

    private HubCore Create(InMemoryHubStore store, params InputBooleanOptions[] helpers) => new(Info, store, helpers, _time);

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    private static readonly JsonElement None = default;

    [Test]
    public async Task InputBoolean_Toggle_ChangesStateAndReturnsIt()
    {
        var hub = Create(new InMemoryHubStore(), new InputBooleanOptions("porch", "Porch light"));

        var changed = await hub.Services.CallAsync("input_boolean", "toggle", Json("""{"entity_id":"input_boolean.porch"}"""), None, HubContext.New());

        Assert.That(changed.Select(s => s.EntityId), Is.EqualTo(new[] { "input_boolean.porch" }));
        Assert.That(hub.States.Get("input_boolean.porch")!.Value, Is.EqualTo("on"));
    }

    [Test]
    public async Task InputBoolean_AfterRestart_StateIsRestored()
    {
        var store = new InMemoryHubStore();
        var helper = new InputBooleanOptions("porch", "Porch light");
        await Create(store, helper).Services.CallAsync("input_boolean", "turn_on", Json("""{"entity_id":"input_boolean.porch"}"""), None, HubContext.New());

        var restarted = Create(store, helper);

        Assert.That(restarted.States.Get("input_boolean.porch")!.Value, Is.EqualTo("on"));
    }

    [Test]
    public void InputBoolean_StoreWriteFails_StateUnchangedAndErrorReachesCaller()
    {
        var store = new InMemoryHubStore();
        var hub = Create(store, new InputBooleanOptions("porch", "Porch light"));
        store.FailWritesWith = new IOException("No space left on device");

        Assert.ThrowsAsync<IOException>(() => hub.Services.CallAsync("input_boolean", "turn_on", Json("""{"entity_id":"input_boolean.porch"}"""), None, HubContext.New()));
        Assert.That(hub.States.Get("input_boolean.porch")!.Value, Is.EqualTo("off"));
    }

    [Test]
    public async Task HomeAssistantToggle_TargetsInputBoolean_DispatchesToDomain()
    {
        var hub = Create(new InMemoryHubStore(), new InputBooleanOptions("a", "A"), new InputBooleanOptions("b", "B"));

        var changed = await hub.Services.CallAsync("homeassistant", "turn_on", HubJson.EmptyObject, Json("""{"entity_id":["input_boolean.a","input_boolean.b"]}"""), HubContext.New());

        Assert.That(changed.Select(s => s.Value), Is.EqualTo(new[] { "on", "on" }));
    }

    [Test]
    public void HomeAssistantTurnOn_DomainWithoutService_NamesTheDomain()
    {
        var hub = Create(new InMemoryHubStore());
        hub.States.Set("sensor.temp", "20");

        var ex = Assert.ThrowsAsync<HubException>(() => hub.Services.CallAsync("homeassistant", "turn_on", Json("""{"entity_id":"sensor.temp"}"""), None, HubContext.New()));
        Assert.That(ex!.Message, Does.Contain("sensor"));
    }

    [Test]
    public void Call_UnknownService_ListsTheDomainsServices()
    {
        var hub = Create(new InMemoryHubStore(), new InputBooleanOptions("a", "A"));

        var ex = Assert.ThrowsAsync<HubException>(() => hub.Services.CallAsync("input_boolean", "explode", HubJson.EmptyObject, None, HubContext.New()));
        Assert.That(ex!.Code, Is.EqualTo(HubErrorCodes.ServiceNotFound));
        Assert.That(ex.Message, Does.Contain("toggle"));
    }

    [TestCase("""{"title":"x"}""", "needs \"message\"")]
    [TestCase("""{"message":5}""", "must be a string")]
    [TestCase("""{"message":"x","colour":"red"}""", "does not take \"colour\"")]
    [TestCase("""[1]""", "must be a JSON object")]
    public void NotificationCreate_BadData_SaysWhatIsWrong(string data, string expected)
    {
        var hub = Create(new InMemoryHubStore());

        var ex = Assert.ThrowsAsync<HubException>(() => hub.Services.CallAsync("persistent_notification", "create", Json(data), None, HubContext.New()));
        Assert.That(ex!.Message, Does.Contain(expected));
    }

    [Test]
    public async Task Notifications_CreateThenRestart_AreKeptUntilDismissed()
    {
        var store = new InMemoryHubStore();
        var hub = Create(store);
        await hub.Services.CallAsync("persistent_notification", "create", Json("""{"message":"Banned 10.0.0.9","notification_id":"ban"}"""), None, HubContext.New());

        var restarted = Create(store);
        Assert.That(restarted.Notifications.All().Select(n => n.Message), Is.EqualTo(new[] { "Banned 10.0.0.9" }));

        Assert.That(await restarted.Notifications.DismissAsync("ban"), Is.True);
        Assert.That(Create(store).Notifications.All(), Is.Empty);
    }
}
