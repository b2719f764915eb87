using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PiHub.Core.Recorder;
using PiHub.Server.Configuration;
using PiHub.Server.History;

namespace PiHub.Server.WebSockets;

/// <summary>
/// History and logbook over the WebSocket API: <c>history/history_during_period</c>,
/// <c>history/stream</c>, <c>logbook/get_events</c>, <c>logbook/event_stream</c>. Readers may use them.
/// </summary>
internal static partial class WsCommands
{
    private static void AddHistoryCommands(Dictionary<string, (WsAccess, WsCommandHandler)> table)
    {
        table["history/history_during_period"] = (WsAccess.Read, HistoryDuringPeriodAsync);
        table["history/stream"] = (WsAccess.Read, HistoryStreamAsync);
        table["logbook/get_events"] = (WsAccess.Read, LogbookGetEventsAsync);
        table["logbook/event_stream"] = (WsAccess.Read, LogbookEventStreamAsync);
    }

    private static async ValueTask HistoryDuringPeriodAsync(WsConnection c, int id, JsonElement message, CancellationToken cancellationToken)
    {
        if (!ReadPeriod(c, id, message, requireLive: false, out var start, out var end)) return;
        var now = c.Hub.Time.GetUtcNow();
        if (start > now)
        {
            c.Post(WsMessages.Result(id, w => w.WriteRawValue("{}"u8)));
            return;
        }

        var query = HistoryQueryOf(message, start, end ?? now);
        var (data, _) = await c.Services.GetRequiredService<HistoryRecorder>().ReadAsync(query.ToRead(), cancellationToken).ConfigureAwait(false);
        var history = HistoryBuilder.Build(query, data);
        c.Post(WsMessages.Result(id, w => HistoryJson.WriteCompressed(w, history)));
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
        c.Post(WsMessages.Result(id));
        var (data, sequence) = await recorder.ReadAsync(query.ToRead() with { To = end ?? now }, cancellationToken).ConfigureAwait(false);
        var history = HistoryBuilder.Build(query, data);
        var last = history.SelectMany(h => h.Rows).Select(r => r.LastUpdated).DefaultIfEmpty(end ?? now).Max();
        c.PostEvent(id, Core.Hub.HubJson.ToBytes((history, start, last), static (w, s) =>
        {
            w.WriteStartObject();
            w.WritePropertyName("states");
            HistoryJson.WriteCompressed(w, s.history);
            w.WriteNumber("start_time", HistoryTime.Epoch(s.start));
            w.WriteNumber("end_time", HistoryTime.Epoch(s.last));
            w.WriteEndObject();
        }));
        stream.GoLive(sequence);
    }

    private static async ValueTask LogbookGetEventsAsync(WsConnection c, int id, JsonElement message, CancellationToken cancellationToken)
    {
        if (!ReadPeriod(c, id, message, requireLive: false, out var start, out var end)) return;
        var now = c.Hub.Time.GetUtcNow();
        var query = LogbookQueryOf(message, start, end ?? now);
        if (start > now || query is null)
        {
            c.Post(WsMessages.Result(id, w => w.WriteRawValue("[]"u8)));
            return;
        }

        var (data, _) = await c.Services.GetRequiredService<HistoryRecorder>().ReadAsync(query.ToRead(), cancellationToken).ConfigureAwait(false);
        var entries = new LogbookProcessor(query, includeNames: false, Endpoints.HistoryEndpoints.UserNames(c.Services)).Process(data.Items);
        c.Post(WsMessages.Result(id, w => HistoryJson.WriteLogbook(w, entries, epoch: true)));
    }

    private static async ValueTask LogbookEventStreamAsync(WsConnection c, int id, JsonElement message, CancellationToken cancellationToken)
    {
        if (!ReadPeriod(c, id, message, requireLive: true, out var start, out var end)) return;
        var recorder = c.Services.GetRequiredService<HistoryRecorder>();
        var now = c.Hub.Time.GetUtcNow();
        var query = LogbookQueryOf(message, start, end ?? now) ?? new LogbookQuery(start, end ?? now, []);
        var stream = new LogbookStream(c, id, new LogbookProcessor(query, includeNames: false, Endpoints.HistoryEndpoints.UserNames(c.Services)));
        var subscription = end is { } past && past <= now ? null : recorder.Subscribe(stream.OnRecorded, out _);
        c.AddSubscription(id, new StreamSubscription(subscription, c.Hub.Time, end));
        c.Post(WsMessages.Result(id));
        var (data, sequence) = await recorder.ReadAsync(query.ToRead() with { To = end ?? now }, cancellationToken).ConfigureAwait(false);
        stream.Backfill(data.Items, start, end ?? now, sequence);
    }

    /// <summary>start_time (required) and end_time, with Home Assistant's error codes.</summary>
    private static bool ReadPeriod(WsConnection c, int id, JsonElement message, bool requireLive, out DateTimeOffset start, out DateTimeOffset? end)
    {
        var zone = HistoryTime.Zone(c.Services.GetRequiredService<PiHubOptions>().Hub.TimeZone);
        end = null;
        if (!HistoryTime.TryParse(OptionalString(message, "start_time"), zone, out start) || (requireLive && start > c.Hub.Time.GetUtcNow()))
        {
            c.Post(WsMessages.Error(id, "invalid_start_time", "Invalid start_time: give an ISO 8601 time no later than now, e.g. \"2026-11-26T00:00:00Z\"."));
            return false;
        }

        if (OptionalString(message, "end_time") is { } text)
        {
            if (!HistoryTime.TryParse(text, zone, out var parsed) || (requireLive && parsed < start))
            {
                c.Post(WsMessages.Error(id, "invalid_end_time", "Invalid end_time: give an ISO 8601 time after start_time, e.g. \"2026-11-26T12:00:00Z\"."));
                return false;
            }

            end = parsed;
        }

        return true;
    }

    private static HistoryQuery HistoryQueryOf(JsonElement message, DateTimeOffset start, DateTimeOffset end) =>
        new(start, end, OptionalStrings(message, "entity_ids"),
            IncludeStartTimeState: OptionalBool(message, "include_start_time_state", true),
            SignificantChangesOnly: OptionalBool(message, "significant_changes_only", true),
            MinimalResponse: OptionalBool(message, "minimal_response", false),
            NoAttributes: OptionalBool(message, "no_attributes", false));

    /// <summary>The logbook query, or null when only device_ids were given (PiHub has no devices to match yet).</summary>
    private static LogbookQuery? LogbookQueryOf(JsonElement message, DateTimeOffset start, DateTimeOffset end)
    {
        var entityIds = OptionalStrings(message, "entity_ids");
        if (entityIds is null && OptionalStrings(message, "device_ids") is { Count: > 0 }) return null;
        return new LogbookQuery(start, end, entityIds, OptionalString(message, "context_id"));
    }

    private static bool OptionalBool(JsonElement message, string name, bool fallback)
    {
        if (!message.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return fallback;
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new Core.Hub.HubException(Core.Hub.HubErrorCodes.InvalidFormat, $"Field \"{name}\" must be true or false."),
        };
    }

    private static List<string>? OptionalStrings(JsonElement message, string name)
    {
        if (!message.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.Array || v.EnumerateArray().Any(i => i.ValueKind != JsonValueKind.String))
        {
            throw new Core.Hub.HubException(Core.Hub.HubErrorCodes.InvalidFormat, $"Field \"{name}\" must be a list of strings.");
        }

        return [.. v.EnumerateArray().Select(i => i.GetString()!)];
    }
}
