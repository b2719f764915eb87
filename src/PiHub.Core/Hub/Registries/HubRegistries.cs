using System.Text.Json;

namespace PiHub.Core.Hub.Registries;

/// <summary>
/// Home Assistant's entity, device, area, floor and label registries, built from the config and
/// the entities PiHub defines itself. Persisted in the hub store, per item, only when something
/// changed: each entity's and device's random <c>id</c>, and every item's <c>created_at</c> and
/// <c>modified_at</c>. Everything else is derived from the config on each start, so the store
/// never disagrees with the config for long: <see cref="StartAsync"/> compares the two and fires
/// <c>*_registry_updated</c> for every difference (a helper added to or removed from the config,
/// an area renamed, a new PiHub version on the hub device).
/// Changes take turns through an async gate, never a lock: a durable write is awaited, so it blocks
/// no thread, and readers take <see cref="Snapshot"/> without waiting for it.
/// </summary>
public sealed class HubRegistries
{
    private readonly SemaphoreSlim _gate = new(1, 1);
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

    /// <summary>True once <see cref="StartAsync"/> ran.</summary>
    public bool IsStarted => Volatile.Read(ref _config) is not null;

    /// <summary>Every registry now (empty lists before <see cref="StartAsync"/>).</summary>
    public RegistrySnapshot Snapshot() => Volatile.Read(ref _snapshot);

    /// <summary>
    /// Notes an entity PiHub defines at set-up, before <see cref="StartAsync"/> (which saves it); nothing is written.
    /// Throws <see cref="InvalidOperationException"/> once the registries started (use <see cref="RegisterAsync"/>),
    /// and <see cref="ArgumentException"/> as <see cref="RegisterAsync"/> does.
    /// </summary>
    public void Register(RegistryEntry entry)
    {
        Validate(entry);
        // Set-up code runs before the start, one thread at a time: a busy gate means the start is under way.
        if (!_gate.Wait(0)) throw new InvalidOperationException($"{entry.EntityId}: the registries are starting; register set-up entities before StartAsync.");
        try
        {
            if (_config is not null) throw new InvalidOperationException($"{entry.EntityId}: the registries are started; use RegisterAsync.");
            Note(entry);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Adds (or redefines) an entity PiHub defines. Before <see cref="StartAsync"/> it is only noted; after it,
    /// the entry is saved and <c>entity_registry_updated</c> fires. Throws <see cref="ArgumentException"/> for an
    /// invalid entry, an unknown area or label, or an entity id another entry already has.
    /// </summary>
    public async Task RegisterAsync(RegistryEntry entry, CancellationToken cancellationToken = default)
    {
        Validate(entry);
        List<HubEvent> events = [];
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_config is { } config)
            {
                CheckTaken(entry);
                CheckReferences(entry, config);
                if (await _entityTable.SetAsync(entry.Key, RegistryFields.Entity(entry, DeviceIdOf(entry)), _time.GetUtcNow()).ConfigureAwait(false) is { } change)
                {
                    events.Add(EntityEvent(change));
                }
            }

            // Only once the store took it: a refused write leaves the registry as it was.
            Note(entry);
            if (_config is not null) Publish();
        }
        finally
        {
            _gate.Release();
        }

        Fire(events);
    }

    /// <summary>Removes an entity PiHub no longer defines; false when it was not registered.</summary>
    public async Task<bool> UnregisterAsync(string entityId, CancellationToken cancellationToken = default)
    {
        List<HubEvent> events = [];
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_entities.TryGetValue(entityId, out var entry)) return false;
            if (_config is not null && await _entityTable.RemoveAsync(entry.Key).ConfigureAwait(false) is { } change) events.Add(EntityEvent(change));
            _entities.Remove(entityId);
            if (_config is not null) Publish();
        }
        finally
        {
            _gate.Release();
        }

        Fire(events);
        return true;
    }

    private static void Validate(RegistryEntry entry)
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
    }

    private void CheckTaken(RegistryEntry entry)
    {
        if (_entities.TryGetValue(entry.EntityId, out var other) && other.Key != entry.Key)
        {
            throw new ArgumentException($"{entry.EntityId} is already registered by {other.Platform} ({other.UniqueId}).", nameof(entry));
        }
    }

    /// <summary>Lists the entry; the same (domain, platform, unique_id) under a new entity id is a rename, not a second entity.</summary>
    private void Note(RegistryEntry entry)
    {
        CheckTaken(entry);
        var renamed = _entities.Values.FirstOrDefault(e => e.Key == entry.Key && e.EntityId != entry.EntityId);
        if (renamed is not null) _entities.Remove(renamed.EntityId);
        _entities[entry.EntityId] = entry;
    }

    /// <summary>
    /// Builds the registries from <paramref name="config"/> and every entity registered so far, compares
    /// them with what the hub store remembers, saves the differences and fires one event per difference.
    /// Call once, after every source registered its start-up entities: an entity remembered but not
    /// registered by then counts as removed.
    /// </summary>
    public async Task StartAsync(RegistryConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        List<HubEvent> events = [];
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_config is not null) throw new InvalidOperationException("The registries are already started.");
            CheckConfig(config);
            foreach (var entry in _entities.Values) CheckReferences(entry, config);
            var now = _time.GetUtcNow();
            await SyncAsync(_labelTable, config.Labels.Select(l => (l.LabelId, RegistryFields.Label(l), (string?)l.LabelId)), now,
                c => new RegistryUpdatedEvent(RegistryUpdatedEvent.LabelType, c.Action, "label_id", c.Stamp.Id, NewContext(), now, c.Changes), events).ConfigureAwait(false);
            await SyncAsync(_floorTable, config.Floors.Select(f => (f.FloorId, RegistryFields.Floor(f), (string?)f.FloorId)), now,
                c => new RegistryUpdatedEvent(RegistryUpdatedEvent.FloorType, c.Action, "floor_id", c.Stamp.Id, NewContext(), now, c.Changes), events).ConfigureAwait(false);
            await SyncAsync(_areaTable, config.Areas.Select(a => (a.AreaId, RegistryFields.Area(a), (string?)a.AreaId)), now,
                c => new RegistryUpdatedEvent(RegistryUpdatedEvent.AreaType, c.Action, "area_id", c.Stamp.Id, NewContext(), now, c.Changes), events).ConfigureAwait(false);
            await SyncAsync(_deviceTable, [(config.HubDevice.Key, RegistryFields.Device(config.HubDevice), null)], now, DeviceEvent, events).ConfigureAwait(false);
            _config = config;
            await SyncAsync(_entityTable, _entities.Values.Select(e => (e.Key, RegistryFields.Entity(e, DeviceIdOf(e)), (string?)null)), now, EntityEvent, events).ConfigureAwait(false);
            Publish();
        }
        finally
        {
            _gate.Release();
        }

        Fire(events);
    }

    private static async Task SyncAsync(RegistryTable table, IEnumerable<(string Key, JsonElement Fields, string? FixedId)> items, DateTimeOffset now,
        Func<RegistryChange, HubEvent> toEvent, List<HubEvent> events)
    {
        var keep = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, fields, fixedId) in items)
        {
            keep.Add(key);
            if (await table.SetAsync(key, fields, now, fixedId).ConfigureAwait(false) is { } change) events.Add(toEvent(change));
        }

        foreach (var gone in table.Keys.Where(k => !keep.Contains(k)).ToList())
        {
            if (await table.RemoveAsync(gone).ConfigureAwait(false) is { } change) events.Add(toEvent(change));
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

    /// <summary>Rebuilds the snapshot readers see; called inside the gate after every change.</summary>
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

    // Outside the gate: a subscriber that reads the registries from its handler must not deadlock.
    private void Fire(List<HubEvent> events)
    {
        foreach (var e in events) _bus.Fire(e);
    }
}
