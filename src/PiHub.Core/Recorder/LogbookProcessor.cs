using System.Text.Json;

namespace PiHub.Core.Recorder;

/// <summary>
/// Turns recorded states and events into logbook entries, the way Home Assistant's logbook does:
/// only real state changes of entities that existed before (no attribute-only updates, no
/// sensors with a unit or state_class), <c>logbook_entry</c> events, and for each entry the
/// context that explains it — the user, PiHub's token name, and the service call or state change
/// that started it. Keeps the first record of each context it has seen, so it can also process a
/// live stream one record at a time.
/// </summary>
public sealed class LogbookProcessor
{
    private const int MaxContexts = 4096;

    private readonly HashSet<string>? _entities;
    private readonly string? _contextId;
    private readonly bool _includeNames;
    private readonly Func<string, string?>? _userName;
    private readonly Dictionary<string, Recorded> _contexts = new(StringComparer.Ordinal);

    /// <param name="query">Which entries to produce.</param>
    /// <param name="includeNames">Add entity names (<c>name</c>, <c>context_entity_id_name</c>): REST does, WebSocket does not.</param>
    /// <param name="userName">Resolves a user id to a name for <c>context_user_name</c>; null leaves it out.</param>
    public LogbookProcessor(LogbookQuery query, bool includeNames, Func<string, string?>? userName = null)
    {
        _entities = query.EntityIds is null ? null : new HashSet<string>(query.EntityIds, StringComparer.Ordinal);
        _contextId = query.ContextId;
        _includeNames = includeNames;
        _userName = userName;
    }

    /// <summary>The entries for <paramref name="items"/> (in recorded order).</summary>
    public List<LogbookEntry> Process(IEnumerable<Recorded> items)
    {
        var entries = new List<LogbookEntry>();
        foreach (var item in items)
        {
            if (_contexts.Count >= MaxContexts) _contexts.Clear(); // live streams run for days
            _contexts.TryAdd(item.Context.Id, item);
            if (_contextId is not null && !string.Equals(item.Context.Id, _contextId, StringComparison.Ordinal)) continue;
            var entry = item switch
            {
                StateRecord s => StateEntry(s),
                EventRecord { EventType: "logbook_entry" } e => LogbookEntryEvent(e),
                _ => null,
            };
            if (entry is null) continue;
            Augment(entry, item);
            entries.Add(entry);
        }

        return entries;
    }

    private LogbookEntry? StateEntry(StateRecord s)
    {
        if (s.Kind != StateRecordKind.Changed || s.IsNew || !s.StateChanged) return null;
        if (_entities is not null && !_entities.Contains(s.EntityId)) return null;
        using var attributes = JsonDocument.Parse(s.AttributesJson);
        var root = attributes.RootElement;
        if (s.Domain == "sensor" && (root.TryGetProperty("unit_of_measurement", out _) || root.TryGetProperty("state_class", out _))) return null;
        return new LogbookEntry
        {
            When = s.LastUpdated,
            EntityId = s.EntityId,
            State = s.State,
            Name = _includeNames ? NameOf(s.EntityId, root) : null,
            Icon = root.TryGetProperty("icon", out var icon) && icon.ValueKind == JsonValueKind.String ? icon.GetString() : null,
            ContextId = s.Context.Id,
        };
    }

    private LogbookEntry? LogbookEntryEvent(EventRecord e)
    {
        using var doc = JsonDocument.Parse(e.DataJson);
        var data = doc.RootElement;
        if (data.ValueKind != JsonValueKind.Object) return null;
        var entityId = Text(data, "entity_id");
        if (_entities is not null && (entityId is null || !_entities.Contains(entityId))) return null;
        return new LogbookEntry
        {
            When = e.TimeFired,
            Name = Text(data, "name"),
            Message = Text(data, "message"),
            Domain = Text(data, "domain") ?? (entityId is null ? null : Hub.EntityId.DomainOf(entityId)),
            EntityId = entityId,
            IsLogbookEntry = true,
            ContextId = e.Context.Id,
        };
    }

    /// <summary>Home Assistant's ContextAugmenter: who did it, and what started it.</summary>
    private void Augment(LogbookEntry entry, Recorded row)
    {
        if (row.Context.UserId is { } userId)
        {
            entry.ContextUserId = userId;
            entry.ContextUserName = _userName?.Invoke(userId);
        }

        entry.ContextClientName = row.ClientName;
        if (!_contexts.TryGetValue(row.Context.Id, out var origin)) return;
        if (ReferenceEquals(origin, row))
        {
            // The entry started its own context: was it caused by a parent context?
            if (row.Context.ParentId is not { } parent || !_contexts.TryGetValue(parent, out origin) || ReferenceEquals(origin, row)) return;
        }

        switch (origin)
        {
            case StateRecord s:
                entry.ContextState = s.State;
                entry.ContextEntityId = s.EntityId;
                if (_includeNames)
                {
                    using var attributes = JsonDocument.Parse(s.AttributesJson);
                    entry.ContextEntityIdName = NameOf(s.EntityId, attributes.RootElement);
                }

                break;
            case EventRecord { EventType: "call_service" } call:
                using (var doc = JsonDocument.Parse(call.DataJson))
                {
                    entry.ContextDomain = Text(doc.RootElement, "domain");
                    entry.ContextService = Text(doc.RootElement, "service");
                }

                entry.ContextEventType = call.EventType;
                entry.ContextClientName ??= call.ClientName;
                break;
        }
    }

    /// <summary>The friendly_name attribute, else the object id with spaces (Home Assistant's State.name).</summary>
    private static string NameOf(string entityId, JsonElement attributes)
    {
        if (attributes.ValueKind == JsonValueKind.Object && Text(attributes, "friendly_name") is { } name) return name;
        var dot = entityId.IndexOf('.', StringComparison.Ordinal);
        return entityId[(dot + 1)..].Replace('_', ' ');
    }

    private static string? Text(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
