using System.Text.Json;
using PiHub.Core.Recorder;
using PiHub.Configuration;
using PiHub.Server.Endpoints;
using PiHub.Server.Http;
using PiHub.Server.WebSockets;
using PiHub.Server.WebSockets.Commands;

namespace PiHub.Server.History;

/// <summary>
/// History and logbook over the WebSocket API: <c>history/history_during_period</c>,
/// <c>history/stream</c>, <c>logbook/get_events</c>, <c>logbook/event_stream</c>. Readers may use them.
/// The live parts of the streams are in <see cref="HistoryStream"/> and <see cref="LogbookStream"/>.
/// </summary>
internal static class HistoryCommands
{
    public static void Register(WsCommandTable table) => table
        .Add("history/history_during_period", WsAccess.Read, HistoryDuringPeriodAsync)
        .Add("history/stream", WsAccess.Read, HistoryStreamAsync, subscribes: true)
        .Add("logbook/get_events", WsAccess.Read, LogbookGetEventsAsync)
        .Add("logbook/event_stream", WsAccess.Read, LogbookEventStreamAsync, subscribes: true);

    private static async ValueTask HistoryDuringPeriodAsync(WsConnection c, int id, JsonElement message, CancellationToken cancellationToken)
    {
        if (!ReadPeriod(c, id, message, requireLive: false, out var start, out var end)) return;
        var now = c.Hub.Time.GetUtcNow();
        if (start > now)
        {
            c.Post(HistoryResults.EmptyHistory(id));
            return;
        }

        var query = HistoryQueryOf(message, start, end ?? now);
        var (data, _) = await c.Services.GetRequiredService<HistoryRecorder>().ReadAsync(query.ToRead(), cancellationToken).ConfigureAwait(false);
        c.Post(HistoryResults.History(id, HistoryBuilder.Build(query, data)));
    }

    private static async ValueTask HistoryStreamAsync(WsConnection c, int id, JsonElement message, CancellationToken cancellationToken)
    {
        if (!ReadPeriod(c, id, message, requireLive: true, out var start, out var end)) return;
        var recorder = c.Services.GetRequiredService<HistoryRecorder>();
        var now = c.Hub.Time.GetUtcNow();
        var query = HistoryQueryOf(message, start, end ?? now);
        var stream = new HistoryStream(c, id, query);
        // Subscribed before the backfill is read: nothing recorded in between is lost (sequence numbers drop repeats).
        var subscription = end is { } past && past <= now ? null : recorder.Subscribe(stream.OnRecorded, out _);
        c.AddSubscription(id, new StreamSubscription(subscription, c.Hub.Time, end));
        c.PostResult(id);
        var (data, sequence) = await recorder.ReadAsync(query.ToRead() with { To = end ?? now }, cancellationToken).ConfigureAwait(false);
        var history = HistoryBuilder.Build(query, data);
        var last = history.SelectMany(h => h.Rows).Select(r => r.LastUpdated).DefaultIfEmpty(end ?? now).Max();
        c.PostEvent(id, HistoryResults.StreamBackfill(history, start, last));
        stream.GoLive(sequence);
    }

    private static async ValueTask LogbookGetEventsAsync(WsConnection c, int id, JsonElement message, CancellationToken cancellationToken)
    {
        if (!ReadPeriod(c, id, message, requireLive: false, out var start, out var end)) return;
        var now = c.Hub.Time.GetUtcNow();
        var query = LogbookQueryOf(message, start, end ?? now);
        if (start > now || query is null)
        {
            c.Post(HistoryResults.EmptyLogbook(id));
            return;
        }

        var (data, _) = await c.Services.GetRequiredService<HistoryRecorder>().ReadAsync(query.ToRead(), cancellationToken).ConfigureAwait(false);
        var entries = new LogbookProcessor(query, includeNames: false, HistoryEndpoints.UserNames(c.Services)).Process(data.Items);
        c.Post(HistoryResults.Logbook(id, entries));
    }

    private static async ValueTask LogbookEventStreamAsync(WsConnection c, int id, JsonElement message, CancellationToken cancellationToken)
    {
        if (!ReadPeriod(c, id, message, requireLive: true, out var start, out var end)) return;
        var recorder = c.Services.GetRequiredService<HistoryRecorder>();
        var now = c.Hub.Time.GetUtcNow();
        var query = LogbookQueryOf(message, start, end ?? now) ?? new LogbookQuery(start, end ?? now, []);
        var stream = new LogbookStream(c, id, new LogbookProcessor(query, includeNames: false, HistoryEndpoints.UserNames(c.Services)));
        var subscription = end is { } past && past <= now ? null : recorder.Subscribe(stream.OnRecorded, out _);
        c.AddSubscription(id, new StreamSubscription(subscription, c.Hub.Time, end));
        c.PostResult(id);
        var (data, sequence) = await recorder.ReadAsync(query.ToRead() with { To = end ?? now }, cancellationToken).ConfigureAwait(false);
        stream.Backfill(data.Items, start, end ?? now, sequence);
    }

    /// <summary>start_time (required) and end_time, with Home Assistant's error codes.</summary>
    private static bool ReadPeriod(WsConnection c, int id, JsonElement message, bool requireLive, out DateTimeOffset start, out DateTimeOffset? end)
    {
        var zone = HistoryTime.Zone(c.Services.GetRequiredService<PiHubOptions>().Hub.TimeZone);
        end = null;
        if (!HistoryTime.TryParse(message.OptionalString("start_time"), zone, out start) || (requireLive && start > c.Hub.Time.GetUtcNow()))
        {
            c.PostError(id, ApiErrorCodes.InvalidStartTime, "Invalid start_time: give an ISO 8601 time no later than now, e.g. \"2026-11-26T00:00:00Z\".");
            return false;
        }

        if (message.OptionalString("end_time") is { } text)
        {
            if (!HistoryTime.TryParse(text, zone, out var parsed) || (requireLive && parsed < start))
            {
                c.PostError(id, ApiErrorCodes.InvalidEndTime, "Invalid end_time: give an ISO 8601 time after start_time, e.g. \"2026-11-26T12:00:00Z\".");
                return false;
            }

            end = parsed;
        }

        return true;
    }

    private static HistoryQuery HistoryQueryOf(JsonElement message, DateTimeOffset start, DateTimeOffset end) =>
        new(start, end, OptionalStrings(message, "entity_ids"),
            IncludeStartTimeState: message.OptionalBool("include_start_time_state") ?? true,
            SignificantChangesOnly: message.OptionalBool("significant_changes_only") ?? true,
            MinimalResponse: message.OptionalBool("minimal_response") ?? false,
            NoAttributes: message.OptionalBool("no_attributes") ?? false);

    /// <summary>
    /// The logbook query, or null when only device_ids were given. To Home Assistant, device_ids select the events a
    /// device fired itself (<c>device_id</c> in the event's data), not its entities' states (its frontend sends those
    /// as entity_ids); no PiHub event carries a device, so device_ids alone match nothing.
    /// </summary>
    private static LogbookQuery? LogbookQueryOf(JsonElement message, DateTimeOffset start, DateTimeOffset end)
    {
        var entityIds = OptionalStrings(message, "entity_ids");
        if (entityIds is null && OptionalStrings(message, "device_ids") is { Count: > 0 }) return null;
        return new LogbookQuery(start, end, entityIds, message.OptionalString("context_id"));
    }

    private static List<string>? OptionalStrings(JsonElement message, string name)
    {
        if (!message.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.Array || v.EnumerateArray().Any(i => i.ValueKind != JsonValueKind.String))
        {
            throw WsFields.Invalid($"Field \"{name}\" must be a list of strings.");
        }

        return [.. v.EnumerateArray().Select(i => i.GetString()!)];
    }
}
