using PiHub.Core.Hub;
using PiHub.Core.Recorder;
using PiHub.Server.WebSockets;

namespace PiHub.Server.History;

/// <summary>
/// Live records that arrive while the backfill is being read are held, then sent once it has
/// gone out; sequence numbers drop those the backfill already covered. Records arrive on the
/// threads that made the changes, so sending is serialized here.
/// </summary>
internal abstract class LiveStream
{
    private readonly object _gate = new();
    private List<Recorded>? _held = [];
    private long _after;

    protected LiveStream(WsConnection connection, int id)
    {
        Connection = connection;
        Id = id;
    }

    protected WsConnection Connection { get; }

    protected int Id { get; }

    public void OnRecorded(Recorded record)
    {
        lock (_gate)
        {
            if (_held is not null)
            {
                _held.Add(record);
                return;
            }

            if (record.Sequence > _after) Send([record]);
        }
    }

    /// <summary>Sends what was held back (newer than the backfill) and delivers later records at once.</summary>
    public void GoLive(long backfillSequence)
    {
        lock (_gate)
        {
            _after = backfillSequence;
            var held = _held ?? [];
            _held = null;
            var newer = held.Where(r => r.Sequence > backfillSequence).ToList();
            if (newer.Count > 0) Send(newer);
        }
    }

    /// <summary>Sends live records (under the lock).</summary>
    protected abstract void Send(IReadOnlyList<Recorded> records);
}

/// <summary><c>history/stream</c>'s live part: <c>{"states": {entity_id: [row]}}</c> for each significant change.</summary>
internal sealed class HistoryStream(WsConnection connection, int id, HistoryQuery query) : LiveStream(connection, id)
{
    private readonly HashSet<string>? _entities = query.EntityIds is null ? null : new HashSet<string>(query.EntityIds, StringComparer.Ordinal);

    protected override void Send(IReadOnlyList<Recorded> records)
    {
        var rows = records.OfType<StateRecord>().Where(Wanted).ToList();
        if (rows.Count == 0) return;
        Connection.PostEvent(Id, HubJson.ToBytes(rows, (w, list) =>
        {
            w.WriteStartObject();
            w.WriteStartObject("states");
            foreach (var group in list.GroupBy(r => r.EntityId))
            {
                w.WriteStartArray(group.Key);
                foreach (var r in group)
                {
                    var attributes = query.NoAttributes && !HistoryQuery.NeedAttributeDomains.Contains(r.Domain) ? null : r.AttributesJson;
                    HistoryJson.WriteCompressedRow(w, r.State, attributes, r.LastChanged, r.LastUpdated, minimal: false);
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }));
    }

    /// <summary>Home Assistant's live filter: changes of existing entities, attribute-only ones only in climate-like domains.</summary>
    private bool Wanted(StateRecord r) =>
        r.Kind == StateRecordKind.Changed && !r.IsNew
        && (_entities is null || _entities.Contains(r.EntityId))
        && (!(query.SignificantChangesOnly || query.MinimalResponse) || r.StateChanged || HistoryQuery.SignificantDomains.Contains(r.Domain));
}

/// <summary><c>logbook/event_stream</c>: one backfill message, then <c>{"events": […]}</c> as entries happen.</summary>
internal sealed class LogbookStream(WsConnection connection, int id, LogbookProcessor processor) : LiveStream(connection, id)
{
    public void Backfill(IReadOnlyList<Recorded> items, DateTimeOffset start, DateTimeOffset end, long sequence)
    {
        List<LogbookEntry> entries;
        lock (processor) entries = processor.Process(items);
        Connection.PostEvent(Id, HubJson.ToBytes((entries, start, end), static (w, s) =>
        {
            w.WriteStartObject();
            w.WritePropertyName("events");
            HistoryJson.WriteLogbook(w, s.entries, epoch: true);
            w.WriteNumber("start_time", HistoryTime.Epoch(s.start));
            w.WriteNumber("end_time", HistoryTime.Epoch(s.end));
            w.WriteEndObject();
        }));
        GoLive(sequence);
    }

    protected override void Send(IReadOnlyList<Recorded> records)
    {
        List<LogbookEntry> entries;
        lock (processor) entries = processor.Process(records);
        if (entries.Count == 0) return;
        Connection.PostEvent(Id, HubJson.ToBytes(entries, static (w, list) =>
        {
            w.WriteStartObject();
            w.WritePropertyName("events");
            HistoryJson.WriteLogbook(w, list, epoch: true);
            w.WriteEndObject();
        }));
    }
}

/// <summary>A stream's subscription: the live listener (none for a period already over) and the timer that ends it at end_time.</summary>
internal sealed class StreamSubscription : IDisposable
{
    private readonly IDisposable? _live;
    private readonly ITimer? _end;

    public StreamSubscription(IDisposable? live, TimeProvider time, DateTimeOffset? end)
    {
        _live = live;
        if (live is not null && end is { } at)
        {
            var due = at - time.GetUtcNow();
            _end = time.CreateTimer(static s => ((IDisposable)s!).Dispose(), live, due > TimeSpan.Zero ? due : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }
    }

    public void Dispose()
    {
        _end?.Dispose();
        _live?.Dispose();
    }
}
