namespace PiHub.Core.Recorder;

/// <summary>Turns what the store read into Home Assistant's history lists (one per entity, empty ones left out).</summary>
public static class HistoryBuilder
{
    public static IReadOnlyList<EntityHistory> Build(HistoryQuery query, HistoryData data)
    {
        var byEntity = new Dictionary<string, List<StateRecord>>(StringComparer.Ordinal);
        foreach (var item in data.Items)
        {
            if (item is not StateRecord s || s.Kind == StateRecordKind.Removed) continue;
            if (!byEntity.TryGetValue(s.EntityId, out var list)) byEntity[s.EntityId] = list = [];
            list.Add(s);
        }

        IEnumerable<string> order = (IEnumerable<string>?)query.EntityIds
            ?? byEntity.Keys.Concat(query.IncludeStartTimeState ? data.StartStates.Keys : []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var result = new List<EntityHistory>();
        foreach (var entityId in order.Distinct(StringComparer.Ordinal))
        {
            var start = query.IncludeStartTimeState ? data.StartStates.GetValueOrDefault(entityId) : null;
            var rows = Rows(query, entityId, start, byEntity.GetValueOrDefault(entityId) ?? []);
            if (rows.Count > 0) result.Add(new EntityHistory(entityId, rows));
        }

        return result;
    }

    private static List<HistoryRow> Rows(HistoryQuery query, string entityId, StateRecord? start, List<StateRecord> records)
    {
        var domain = Hub.EntityId.DomainOf(entityId);
        var significantDomain = HistoryQuery.SignificantDomains.Contains(domain);
        var minimal = query.MinimalResponse && !HistoryQuery.NeedAttributeDomains.Contains(domain);
        // Records come in commit order; baselines restate an older last_updated (at the start of a
        // day, or at start-up). A record from before the start only tells the state at the start.
        records.Sort(static (a, b) => a.LastUpdated.CompareTo(b.LastUpdated));
        foreach (var r in records)
        {
            if (r.LastUpdated < query.Start && (start is null || r.LastUpdated >= start.LastUpdated)) start = r;
        }

        if (!query.IncludeStartTimeState) start = null;
        var rows = new List<HistoryRow>();
        var lastSeen = start?.LastUpdated ?? DateTimeOffset.MinValue;
        string? previousState = null;
        if (start is not null)
        {
            rows.Add(new HistoryRow(start.State, query.NoAttributes ? null : start.AttributesJson, query.Start, query.Start, Minimal: false));
            previousState = start.State;
        }

        foreach (var r in records)
        {
            // A baseline restates what an earlier record said: the same last_updated tells them apart.
            if (r.LastUpdated < query.Start || r.LastUpdated <= lastSeen) continue;
            lastSeen = r.LastUpdated;
            if (query.SignificantChangesOnly && !r.StateChanged && !significantDomain) continue;
            if (minimal && rows.Count > 0)
            {
                if (string.Equals(r.State, previousState, StringComparison.Ordinal)) continue;
                rows.Add(new HistoryRow(r.State, null, r.LastUpdated, r.LastUpdated, Minimal: true));
            }
            else
            {
                rows.Add(new HistoryRow(r.State, query.NoAttributes ? null : r.AttributesJson, r.LastChanged, r.LastUpdated, Minimal: false));
            }

            previousState = r.State;
        }

        return rows;
    }
}
