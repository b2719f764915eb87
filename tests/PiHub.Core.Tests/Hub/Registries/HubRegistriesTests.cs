using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using PiHub.Core.Hub;
using PiHub.Core.Hub.Domains;
using PiHub.Core.Hub.Registries;
using PiHub.Testing;

namespace PiHub.Core.Tests.Hub.Registries;

public class HubRegistriesTests
{
    private static readonly HubInfo Info = new("Home", "UTC", "metric", "0.1.0");
    private static readonly DeviceEntry Device = new("pihub", "hub", "PiHub") { Manufacturer = "PiHub", Model = "Raspberry Pi 4 Model B", SwVersion = "0.1.0" };
    private static readonly RegistryConfig Config = new(
        [new AreaEntry("kitchen", "Kitchen") { FloorId = "ground" }, new AreaEntry("hall", "Hall")],
        [new FloorEntry("ground", "Ground floor") { Level = 0 }],
        [new LabelEntry("lights", "Lights") { Color = "amber" }],
        Device);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly List<RegistryUpdatedEvent> _events = [];

    /// <summary>A hub as the composition root builds it: helpers registered, events recorded, then started.</summary>
    private async Task<HubCore> StartAsync(InMemoryHubStore store, RegistryConfig config, params InputBooleanOptions[] helpers)
    {
        var hub = new HubCore(Info, store, helpers, _time);
        hub.Bus.Subscribe(null, e =>
        {
            if (e is RegistryUpdatedEvent r) _events.Add(r);
        });
        await hub.Registries.StartAsync(config);
        return hub;
    }

    private static string DataOf(HubEvent e) => System.Text.Encoding.UTF8.GetString(HubJson.ToBytes(e, static (w, x) => x.WriteData(w)));

    [Test]
    public async Task Start_HelperFromConfig_ListedWithStableUniqueIdAreaAndLabels()
    {
        var hub = await StartAsync(new InMemoryHubStore(), Config, new InputBooleanOptions("porch", "Porch light", Area: "hall", Labels: ["lights"]));

        var entry = hub.Registries.Snapshot().Entity("input_boolean.porch")!;

        Assert.That(entry.Item.UniqueId, Is.EqualTo("porch"));
        Assert.That(entry.Item.Platform, Is.EqualTo("input_boolean"));
        Assert.That(entry.Item.OriginalName, Is.EqualTo("Porch light"));
        Assert.That(entry.Item.AreaId, Is.EqualTo("hall"));
        Assert.That(entry.Item.Labels, Is.EqualTo(new[] { "lights" }));
        Assert.That(entry.Id, Has.Length.EqualTo(32));
        Assert.That(entry.CreatedAt, Is.EqualTo(_time.GetUtcNow()));
    }

    [Test]
    public async Task PostedState_NotDefinedByPiHub_HasNoEntry()
    {
        var hub = await StartAsync(new InMemoryHubStore(), Config, new InputBooleanOptions("porch", "Porch light"));

        hub.States.Set("sensor.tasker_battery", "80");

        Assert.That(hub.States.Get("sensor.tasker_battery"), Is.Not.Null);
        Assert.That(hub.Registries.Snapshot().Entity("sensor.tasker_battery"), Is.Null);
    }

    [Test]
    public async Task FirstStart_EverythingNew_OneCreateEventPerItem()
    {
        await StartAsync(new InMemoryHubStore(), Config, new InputBooleanOptions("porch", "Porch light"));

        Assert.That(_events.Select(e => $"{e.EventType} {e.Action} {e.ItemId}").Where(s => !s.StartsWith("device", StringComparison.Ordinal)), Is.EqualTo(new[]
        {
            "label_registry_updated create lights",
            "floor_registry_updated create ground",
            "area_registry_updated create kitchen",
            "area_registry_updated create hall",
            "entity_registry_updated create input_boolean.porch",
        }));
        Assert.That(_events.Count(e => e.EventType == RegistryUpdatedEvent.DeviceType && e.Action == "create"), Is.EqualTo(1));
    }

    [Test]
    public async Task Restart_SameConfig_IdsAndCreatedAtKeptNothingWrittenNoEvents()
    {
        var store = new InMemoryHubStore();
        var helper = new InputBooleanOptions("porch", "Porch light", Area: "hall");
        var first = (await StartAsync(store, Config, helper)).Registries.Snapshot();
        var writes = store.Writes;
        _events.Clear();
        _time.Advance(TimeSpan.FromDays(3));

        var second = (await StartAsync(store, Config, helper)).Registries.Snapshot();

        Assert.That(second.Entity("input_boolean.porch")!.Id, Is.EqualTo(first.Entity("input_boolean.porch")!.Id));
        Assert.That(second.Entity("input_boolean.porch")!.CreatedAt, Is.EqualTo(first.Entity("input_boolean.porch")!.CreatedAt));
        Assert.That(second.HubDeviceId, Is.EqualTo(first.HubDeviceId));
        Assert.That(second.Areas[0].CreatedAt, Is.EqualTo(first.Areas[0].CreatedAt));
        Assert.That(store.Writes, Is.EqualTo(writes), "an unchanged config must not write to the SD card");
        Assert.That(_events, Is.Empty);
    }

    [Test]
    public async Task Restart_HelperMovedToOtherArea_UpdateEventNamesOldArea()
    {
        var store = new InMemoryHubStore();
        var before = (await StartAsync(store, Config, new InputBooleanOptions("porch", "Porch light", Area: "hall"))).Registries.Snapshot();
        _events.Clear();
        _time.Advance(TimeSpan.FromHours(1));

        var after = (await StartAsync(store, Config, new InputBooleanOptions("porch", "Porch light", Area: "kitchen"))).Registries.Snapshot();

        var update = _events.Single();
        Assert.That(update.EventType, Is.EqualTo("entity_registry_updated"));
        Assert.That(JsonDocument.Parse(DataOf(update)).RootElement.ToString(),
            Is.EqualTo("""{"action":"update","entity_id":"input_boolean.porch","changes":{"area_id":"hall"}}"""));
        Assert.That(after.Entity("input_boolean.porch")!.ModifiedAt, Is.EqualTo(_time.GetUtcNow()));
        Assert.That(after.Entity("input_boolean.porch")!.Id, Is.EqualTo(before.Entity("input_boolean.porch")!.Id));
    }

    [Test]
    public async Task Restart_HelperRemovedAndAreaRenamed_RemoveAndUpdateEvents()
    {
        var store = new InMemoryHubStore();
        await StartAsync(store, Config, new InputBooleanOptions("porch", "Porch light"), new InputBooleanOptions("fan", "Fan"));
        _events.Clear();
        var renamed = Config with { Areas = [new AreaEntry("kitchen", "Kitchen and dining") { FloorId = "ground" }, new AreaEntry("hall", "Hall")] };

        var hub = await StartAsync(store, renamed, new InputBooleanOptions("porch", "Porch light"));

        Assert.That(_events.Select(e => $"{e.EventType} {e.Action} {e.ItemId}"), Is.EqualTo(new[]
        {
            "area_registry_updated update kitchen",
            "entity_registry_updated remove input_boolean.fan",
        }));
        Assert.That(DataOf(_events[0]), Does.Contain("\"changes\":{\"name\":\"Kitchen\"}"));
        Assert.That(hub.Registries.Snapshot().Entities.Select(e => e.Item.EntityId), Is.EqualTo(new[] { "input_boolean.porch" }));
    }

    [Test]
    public async Task Restart_NewPiHubVersion_DeviceUpdateNamesOldVersion()
    {
        var store = new InMemoryHubStore();
        await StartAsync(store, Config);
        _events.Clear();

        var hub = await StartAsync(store, Config with { HubDevice = Device with { SwVersion = "0.2.0" } });

        var update = _events.Single();
        Assert.That(update.EventType, Is.EqualTo("device_registry_updated"));
        Assert.That(update.ItemId, Is.EqualTo(hub.Registries.Snapshot().HubDeviceId));
        Assert.That(DataOf(update), Does.Contain("\"changes\":{\"sw_version\":\"0.1.0\"}"));
    }

    [Test]
    public async Task Register_HardwareEntityAfterStart_CreateEventAndBelongsToHubDevice()
    {
        var hub = await StartAsync(new InMemoryHubStore(), Config);
        _events.Clear();

        await hub.Registries.RegisterAsync(new RegistryEntry("switch.pump", "gpio", "gpio17") { OriginalName = "Pump", OnHubDevice = true, AreaId = "kitchen" });

        var snapshot = hub.Registries.Snapshot();
        Assert.That(_events.Select(e => $"{e.Action} {e.ItemId}"), Is.EqualTo(new[] { "create switch.pump" }));
        Assert.That(snapshot.DeviceIdOf(snapshot.Entity("switch.pump")!.Item), Is.EqualTo(snapshot.HubDeviceId).And.Not.Null);
    }

    [Test]
    public async Task Unregister_AfterStart_RemoveEventAndGone()
    {
        var hub = await StartAsync(new InMemoryHubStore(), Config);
        await hub.Registries.RegisterAsync(new RegistryEntry("switch.pump", "gpio", "gpio17"));
        _events.Clear();

        var removed = await hub.Registries.UnregisterAsync("switch.pump");

        Assert.That(removed, Is.True);
        Assert.That(_events.Select(e => $"{e.Action} {e.ItemId}"), Is.EqualTo(new[] { "remove switch.pump" }));
        Assert.That(hub.Registries.Snapshot().Entity("switch.pump"), Is.Null);
    }

    [Test]
    public async Task Register_SameUniqueIdNewEntityId_UpdateWithOldEntityId()
    {
        var hub = await StartAsync(new InMemoryHubStore(), Config);
        await hub.Registries.RegisterAsync(new RegistryEntry("switch.pump", "gpio", "gpio17"));
        var id = hub.Registries.Snapshot().Entity("switch.pump")!.Id;
        _events.Clear();

        await hub.Registries.RegisterAsync(new RegistryEntry("switch.garden_pump", "gpio", "gpio17"));

        Assert.That(DataOf(_events.Single()), Is.EqualTo(
            """{"action":"update","entity_id":"switch.garden_pump","changes":{"entity_id":"switch.pump"},"old_entity_id":"switch.pump"}"""));
        Assert.That(hub.Registries.Snapshot().Entities.Select(e => (e.Item.EntityId, e.Id)), Is.EqualTo(new[] { ("switch.garden_pump", id) }));
    }

    [Test]
    public async Task Register_UnknownArea_RefusedAndNotListed()
    {
        var hub = await StartAsync(new InMemoryHubStore(), Config);

        var error = Assert.ThrowsAsync<ArgumentException>(() => hub.Registries.RegisterAsync(new RegistryEntry("switch.pump", "gpio", "gpio17") { AreaId = "garage" }));

        Assert.That(error!.Message, Does.Contain("garage"));
        Assert.That(hub.Registries.Snapshot().Entities, Is.Empty);
    }

    [Test]
    public async Task Register_StoreRefusesWrite_ErrorReachesCallerAndNotListed()
    {
        var store = new InMemoryHubStore();
        var hub = await StartAsync(store, Config);
        store.FailWritesWith = new IOException("No space left on device");

        Assert.ThrowsAsync<IOException>(() => hub.Registries.RegisterAsync(new RegistryEntry("switch.pump", "gpio", "gpio17")));
        Assert.That(hub.Registries.Snapshot().Entities, Is.Empty);
        Assert.That(_events.Where(e => e.ItemId == "switch.pump"), Is.Empty);
    }

    [Test]
    public async Task Register_RenameStoreRefuses_OldEntryKept()
    {
        var store = new InMemoryHubStore();
        var hub = await StartAsync(store, Config);
        await hub.Registries.RegisterAsync(new RegistryEntry("switch.pump", "gpio", "gpio17"));
        store.FailWritesWith = new IOException("No space left on device");

        Assert.ThrowsAsync<IOException>(() => hub.Registries.RegisterAsync(new RegistryEntry("switch.garden_pump", "gpio", "gpio17")));
        store.FailWritesWith = null;
        await hub.Registries.RegisterAsync(new RegistryEntry("switch.fan", "gpio", "gpio18"));

        Assert.That(hub.Registries.Snapshot().Entities.Select(e => e.Item.EntityId), Is.EqualTo(new[] { "switch.fan", "switch.pump" }));
    }

    [Test]
    public async Task Start_DamagedStamp_ItemCountsAsNew()
    {
        var store = new InMemoryHubStore();
        await StartAsync(store, Config, new InputBooleanOptions("porch", "Porch light"));
        var key = store.LoadAll("registry_entities").Keys.Single();
        await store.PutAsync("registry_entities", key, "{not json");
        _events.Clear();

        var hub = await StartAsync(store, Config, new InputBooleanOptions("porch", "Porch light"));

        Assert.That(_events.Select(e => $"{e.Action} {e.ItemId}"), Is.EqualTo(new[] { "create input_boolean.porch" }));
        Assert.That(hub.Registries.Snapshot().Entity("input_boolean.porch"), Is.Not.Null);
    }

    [Test]
    public void Start_AreaOnUndefinedFloor_Refused()
    {
        var hub = new HubCore(Info, new InMemoryHubStore(), [], _time);

        var error = Assert.ThrowsAsync<ArgumentException>(() => hub.Registries.StartAsync(Config with { Areas = [new AreaEntry("attic", "Attic") { FloorId = "top" }] }));

        Assert.That(error!.Message, Does.Contain("top"));
    }
}
