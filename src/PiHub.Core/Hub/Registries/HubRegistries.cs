using System.Text.Json;

namespace PiHub.Core.Hub.Registries;

/// <summary>
/// Home Assistant's entity, device, area, floor and label registries, built from the config and
/// the entities PiHub defines itself. Persisted in the hub store, per item, only when something
/// changed: each entity's and device's random <c>id</c>, and every item's <c>created_at</c> and
/// <c>modified_at</c>. Everything else is derived from the config on each start, so the store
/// never disagrees with the config for long: <see cref="Start"/> compares the two and fires
/// <c>*_registry_updated</c> for every difference (a helper added to or removed from the config,
/// an area renamed, a new PiHub version on the hub device).
/// </summary>
public sealed class HubRegistries
{
    private readonly object _gate = new();
    private readonly EventBus _bus;
    private readonly TimeProvider _time;
    private readonly RegistryTable _entityTable;
    private readonly RegistryTable _deviceTable;
    private readonly RegistryTable _areaTable;
    private readonly RegistryTable _floorTable;
    private readonly RegistryTable _labelTable;
    private readonly Dictionary<string, RegistryEntry> _entities = new(StringComparer.Ordinal);
    private RegistryConfig? _config;
    private RegistrySnapshot _snapshot = RegistrySnapshot.Empty;

    public HubRegistries(IHubStore store, EventBus bus, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(store);
        _bus = bus;
        _time = time;
        _entityTable = new RegistryTable(store, "registry_entities");
        _deviceTable = new RegistryTable(store, "registry_devices");
        _areaTable = new RegistryTable(store, "registry_areas");
        _floorTable = new RegistryTable(store, "registry_floors");
        _labelTable = new RegistryTable(store, "registry_labels");
    }

    /// <summary>True once <see cref="Start"/> ran.</summary>
    public bool IsStarted => Volatile.Read(ref _config) is not null;

    /// <summary>Every registry now (empty lists before <see cref="Start"/>).</summary>
    public RegistrySnapshot Snapshot() => Volatile.Read(ref _snapshot);

    /// <summary>
    /// Adds (or redefines) an entity PiHub defines. Before <see cref="Start"/> it is only noted; after it,
    /// the entry is saved and <c>entity_registry_updated</c> fires (one durable write, so call it from
    /// set-up code, not a hot path). Throws <see cref="ArgumentException"/> for an invalid entry, an
    /// unknown area or label, or an entity id another entry already has.
    /// </summary>
    public void Register(RegistryEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        EntityId.Validate(entry.EntityId);
        if (entry.EntityCategory is not (null or "config" or "diagnostic"))
        {
            throw new ArgumentException($"{entry.EntityId}: entity_category must be null, config or diagnostic, not {entry.EntityCategory}.", nameof(entry));
        }

        if (string.IsNullOrEmpty(entry.Platform) || string.IsNullOrEmpty(entry.UniqueId))
        {
            throw new ArgumentException($"{entry.EntityId}: platform and unique_id are required.", nameof(entry));
        }

        List<HubEvent> events = [];
        lock (_gate)
        {
            if (_entities.TryGetValue(entry.EntityId, out var other) && other.Key != entry.Key)
            {
                throw new ArgumentException($"{entry.EntityId} is already registered by {other.Platform} ({other.UniqueId}).", nameof(entry));
            }

            // The same (domain, platform, unique_id) under a new entity id is a rename, not a second entity.
            var renamed = _entities.Values.FirstOrDefault(e => e.Key == entry.Key && e.EntityId != entry.EntityId);
            if (_config is { } config)
            {
                CheckReferences(entry, config);
                if (_entityTable.Set(entry.Key, RegistryFields.Entity(entry, DeviceIdOf(entry)), _time.GetUtcNow()) is { } change)
                {
                    events.Add(EntityEvent(change));
                }
            }

            // Only once the store took it: a refused write leaves the registry as it was.
            if (renamed is not null) _entities.Remove(renamed.EntityId);
            _entities[entry.EntityId] = entry;
            if (_config is not null) Publish();
        }

        Fire(events);
    }

    /// <summary>Removes an entity PiHub no longer defines; false when it was not registered.</summary>
    public bool Unregister(string entityId)
    {
        List<HubEvent> events = [];
        lock (_gate)
        {
            if (!_entities.TryGetValue(entityId, out var entry)) return false;
            if (_config is not null && _entityTable.Remove(entry.Key) is { } change) events.Add(EntityEvent(change));
            _entities.Remove(entityId);
            if (_config is not null) Publish();
        }

        Fire(events);
        return true;
    }

    /// <summary>
    /// Builds the registries from <paramref name="config"/> and every entity registered so far, compares
    /// them with what the hub store remembers, saves the differences and fires one event per difference.
    /// Call once, after every source registered its start-up entities: an entity remembered but not
    /// registered by then counts as removed.
    /// </summary>
    public void Start(RegistryConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        List<HubEvent> events = [];
        lock (_gate)
        {
            if (_config is not null) throw new InvalidOperationException("The registries are already started.");
            CheckConfig(config);
            foreach (var entry in _entities.Values) CheckReferences(entry, config);
            var now = _time.GetUtcNow();
            Sync(_labelTable, config.Labels.Select(l => (l.LabelId, RegistryFields.Label(l), (string?)l.LabelId)), now,
                c => new RegistryUpdatedEvent(RegistryUpdatedEvent.LabelType, c.Action, "label_id", c.Stamp.Id, NewContext(), now, c.Changes), events);
            Sync(_floorTable, config.Floors.Select(f => (f.FloorId, RegistryFields.Floor(f), (string?)f.FloorId)), now,
                c => new RegistryUpdatedEvent(RegistryUpdatedEvent.FloorType, c.Action, "floor_id", c.Stamp.Id, NewContext(), now, c.Changes), events);
            Sync(_areaTable, config.Areas.Select(a => (a.AreaId, RegistryFields.Area(a), (string?)a.AreaId)), now,
                c => new RegistryUpdatedEvent(RegistryUpdatedEvent.AreaType, c.Action, "area_id", c.Stamp.Id, NewContext(), now, c.Changes), events);
            Sync(_deviceTable, [(config.HubDevice.Key, RegistryFields.Device(config.HubDevice), null)], now, DeviceEvent, events);
            _config = config;
            Sync(_entityTable, _entities.Values.Select(e => (e.Key, RegistryFields.Entity(e, DeviceIdOf(e)), (string?)null)), now, EntityEvent, events);
            Publish();
        }

        Fire(events);
    }

    private static void Sync(RegistryTable table, IEnumerable<(string Key, JsonElement Fields, string? FixedId)> items, DateTimeOffset now,
        Func<RegistryChange, HubEvent> toEvent, List<HubEvent> events)
    {
        var keep = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, fields, fixedId) in items)
        {
            keep.Add(key);
            if (table.Set(key, fields, now, fixedId) is { } change) events.Add(toEvent(change));
        }

        foreach (var gone in table.Keys.Where(k => !keep.Contains(k)).ToList())
        {
            if (table.Remove(gone) is { } change) events.Add(toEvent(change));
        }
    }

    private HubEvent EntityEvent(RegistryChange change)
    {
        var entityId = change.Stamp.Fields.GetProperty("entity_id").GetString()!;
        string? oldEntityId = null;
        if (change.Changes is { } changes && changes.TryGetProperty("entity_id", out var old)) oldEntityId = old.GetString();
        return new RegistryUpdatedEvent(RegistryUpdatedEvent.EntityType, change.Action, "entity_id", entityId, NewContext(), _time.GetUtcNow(),
            change.Changes, oldEntityId);
    }

    private HubEvent DeviceEvent(RegistryChange change)
    {
        // A removed device is described in the event, as Home Assistant does, since it can no longer be listed.
        var removed = change.Action == RegistryChange.Remove
            ? RegistryFields.Object(change.Stamp, static (w, s) =>
            {
                w.WriteString("id", s.Id);
                foreach (var p in s.Fields.EnumerateObject()) p.WriteTo(w);
            })
            : (JsonElement?)null;
        return new RegistryUpdatedEvent(RegistryUpdatedEvent.DeviceType, change.Action, "device_id", change.Stamp.Id, NewContext(), _time.GetUtcNow(),
            change.Changes, device: removed);
    }

    private string? DeviceIdOf(RegistryEntry entry) =>
        entry.OnHubDevice && _config is { } config ? _deviceTable.Get(config.HubDevice.Key)?.Id : null;

    private static void CheckConfig(RegistryConfig config)
    {
        Unique(config.Areas.Select(a => a.AreaId), "area");
        Unique(config.Floors.Select(f => f.FloorId), "floor");
        Unique(config.Labels.Select(l => l.LabelId), "label");
        foreach (var area in config.Areas.Where(a => a.FloorId is not null && config.Floors.All(f => f.FloorId != a.FloorId)))
        {
            throw new ArgumentException($"Area {area.AreaId} is on floor {area.FloorId}, which is not defined.", nameof(config));
        }
    }

    private static void Unique(IEnumerable<string> ids, string kind)
    {
        var duplicate = ids.GroupBy(i => i, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"The {kind} id {duplicate.Key} is defined twice.");
    }

    private static void CheckReferences(RegistryEntry entry, RegistryConfig config)
    {
        if (entry.AreaId is not null && config.Areas.All(a => a.AreaId != entry.AreaId))
        {
            throw new ArgumentException($"{entry.EntityId} is in area {entry.AreaId}, which is not defined.", nameof(entry));
        }

        var unknown = entry.Labels.FirstOrDefault(l => config.Labels.All(x => x.LabelId != l));
        if (unknown is not null) throw new ArgumentException($"{entry.EntityId} has label {unknown}, which is not defined.", nameof(entry));
    }

    /// <summary>Rebuilds the snapshot readers see; called under the lock after every change.</summary>
    private void Publish()
    {
        var config = _config!;
        Registered<T> With<T>(T item, RegistryTable table, string key)
        {
            var s = table.Get(key) ?? throw new InvalidOperationException($"Registry item {key} has no stamp.");
            return new Registered<T>(item, s.Id, s.CreatedAt, s.ModifiedAt);
        }

        Volatile.Write(ref _snapshot, new RegistrySnapshot(
            _entities.Values.OrderBy(e => e.EntityId, StringComparer.Ordinal).Select(e => With(e, _entityTable, e.Key)).ToList(),
            [With(config.HubDevice, _deviceTable, config.HubDevice.Key)],
            config.Areas.Select(a => With(a, _areaTable, a.AreaId)).ToList(),
            config.Floors.Select(f => With(f, _floorTable, f.FloorId)).ToList(),
            config.Labels.Select(l => With(l, _labelTable, l.LabelId)).ToList()));
    }

    private HubContext NewContext() => HubContext.New(time: _time);

    // Outside the lock: a subscriber that reads the registries from its handler must not deadlock.
    private void Fire(List<HubEvent> events)
    {
        foreach (var e in events) _bus.Fire(e);
    }
}
