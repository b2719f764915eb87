using System.Globalization;
using System.Text.Json;
using PiHub.Core.Hub;

namespace PiHub.Core.Power;

/// <summary>
/// Brownout records in the hub store (collection <c>power_brownouts</c>, one document per brownout,
/// keyed by its start), durable before <see cref="AddAsync"/> completes. Records older than
/// <c>power.brownouts_keep_days</c> (at least 90) are deleted when a new one is added and at start-up.
/// </summary>
public sealed class BrownoutLog
{
    private const string Collection = "power_brownouts";

    private readonly IHubStore _store;
    private readonly TimeSpan _keep;
    private readonly object _lock = new();
    private readonly SortedDictionary<string, Brownout> _items = new(StringComparer.Ordinal);

    /// <summary>Loads every record; a damaged one is skipped, never fatal.</summary>
    public BrownoutLog(IHubStore store, TimeSpan keep)
    {
        _store = store;
        _keep = keep;
        foreach (var (key, json) in store.LoadAll(Collection))
        {
            if (TryRead(json, out var brownout)) _items[key] = brownout;
        }
    }

    /// <summary>Every record, oldest first.</summary>
    public IReadOnlyList<Brownout> All()
    {
        lock (_lock) return [.. _items.Values];
    }

    /// <summary>Records started on or after <paramref name="since"/>.</summary>
    public int CountSince(DateTimeOffset since)
    {
        lock (_lock) return _items.Values.Count(b => b.Start >= since);
    }

    /// <summary>Saves a record (durable on return), then deletes those past the keep time.</summary>
    public async Task AddAsync(Brownout brownout, CancellationToken cancellationToken = default)
    {
        var key = Key(brownout.Start);
        await _store.PutAsync(Collection, key, ToJson(brownout), cancellationToken).ConfigureAwait(false);
        lock (_lock) _items[key] = brownout;
        await PruneAsync(brownout.End, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes records that ended more than the keep time before <paramref name="now"/>.</summary>
    public async Task PruneAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        List<string> old;
        lock (_lock) old = [.. _items.Where(i => now - i.Value.End > _keep).Select(i => i.Key)];
        foreach (var key in old)
        {
            await _store.DeleteAsync(Collection, key, cancellationToken).ConfigureAwait(false);
            lock (_lock) _items.Remove(key);
        }
    }

    // Sortable: milliseconds since 1970, zero-padded.
    private static string Key(DateTimeOffset start) => start.ToUnixTimeMilliseconds().ToString("D15", CultureInfo.InvariantCulture);

    /// <summary>The record as stored and as <c>GET /api/pihub/power</c> lists it.</summary>
    public static string ToJson(Brownout b) => System.Text.Encoding.UTF8.GetString(HubJson.ToBytes(b, static (w, x) =>
    {
        w.WriteStartObject();
        w.WriteString("start", x.Start);
        w.WriteString("end", x.End);
        w.WriteString("cause", x.Cause);
        if (x.LowestVolts is { } v) w.WriteNumber("lowest_volts", Math.Round(v, 3)); else w.WriteNull("lowest_volts");
        w.WriteBoolean("shutdown_requested", x.ShutdownRequested);
        w.WriteNumber("refused_total", x.Refused.Total);
        w.WriteStartArray("refused");
        foreach (var r in x.Refused.Items)
        {
            w.WriteStartObject();
            w.WriteString("store", r.Store);
            w.WriteString("what", r.What);
            w.WriteNumber("count", r.Count);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }));

    internal static bool TryRead(string json, out Brownout brownout)
    {
        brownout = null!;
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            var refused = new List<RefusedChange>();
            foreach (var r in root.GetProperty("refused").EnumerateArray())
            {
                refused.Add(new RefusedChange(r.GetProperty("store").GetString()!, r.GetProperty("what").GetString()!, r.GetProperty("count").GetInt32()));
            }

            var volts = root.GetProperty("lowest_volts");
            brownout = new Brownout(
                root.GetProperty("start").GetDateTimeOffset(),
                root.GetProperty("end").GetDateTimeOffset(),
                root.GetProperty("cause").GetString() ?? "",
                volts.ValueKind == JsonValueKind.Number ? volts.GetDouble() : null,
                new RefusedChanges(root.GetProperty("refused_total").GetInt32(), refused),
                root.GetProperty("shutdown_requested").GetBoolean());
            return true;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or NullReferenceException)
        {
            return false;
        }
    }
}
