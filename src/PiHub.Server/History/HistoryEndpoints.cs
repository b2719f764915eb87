using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using PiHub.Core.Auth.Storage;
using PiHub.Core.Hub;
using PiHub.Core.Recorder;
using PiHub.Server.Auth;
using PiHub.Server.Http;
using PiHub.Configuration;
using PiHub.Server.Endpoints;

namespace PiHub.Server.History;

/// <summary>
/// Home Assistant's history and logbook REST API: <c>GET /api/history/period[/&lt;start&gt;]</c> and
/// <c>GET /api/logbook[/&lt;start&gt;]</c>. Any user may read them (read-only users too), as reading states.
/// </summary>
public static class HistoryEndpoints
{
    public static IEndpointRouteBuilder MapHistoryEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireApiUser();
        api.MapGet("/history/period", GetHistoryAsync);
        api.MapGet("/history/period/{start}", GetHistoryAsync);
        api.MapGet("/logbook", GetLogbookAsync);
        api.MapGet("/logbook/{start}", GetLogbookAsync);
        return app;
    }

    private static async Task<IResult> GetHistoryAsync(HttpContext context, HistoryRecorder recorder, PiHubOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        var zone = HistoryTime.Zone(options.Hub.TimeZone);
        var query = context.Request.Query;
        var now = time.GetUtcNow();
        DateTimeOffset start;
        if (context.Request.RouteValues.TryGetValue("start", out var raw))
        {
            if (!HistoryTime.TryParse(raw as string, zone, out start))
            {
                return ApiResults.BadRequest($"Invalid datetime: \"{raw}\". Give the start as ISO 8601 in the path, e.g. /api/history/period/2026-11-26T00:00:00+00:00.");
            }
        }
        else
        {
            start = now.AddDays(-1);
        }

        var end = start.AddDays(1);
        if (query.TryGetValue("end_time", out var endText) && !HistoryTime.TryParse(endText, zone, out end))
        {
            return ApiResults.BadRequest($"Invalid end_time: \"{endText}\". Use ISO 8601, e.g. end_time=2026-11-26T12:00:00Z (encode + as %2B).");
        }

        var filter = query["filter_entity_id"].ToString();
        if (string.IsNullOrWhiteSpace(filter))
        {
            return ApiResults.BadRequest("filter_entity_id is missing. Add ?filter_entity_id=sensor.kitchen_temperature (several ids separated by commas).");
        }

        var entityIds = filter.ToLowerInvariant().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (entityIds.Length == 0 || entityIds.Any(id => !EntityId.IsValid(id)))
        {
            return ApiResults.BadRequest($"Invalid filter_entity_id: \"{filter}\". Give entity ids such as sensor.kitchen_temperature, separated by commas.");
        }

        if (start > now) return ApiResults.Json("[]"u8.ToArray());
        var history = new HistoryQuery(start, end, entityIds,
            IncludeStartTimeState: !query.ContainsKey("skip_initial_state"),
            SignificantChangesOnly: query["significant_changes_only"].ToString() != "0",
            MinimalResponse: query.ContainsKey("minimal_response"),
            NoAttributes: query.ContainsKey("no_attributes"));
        var (data, _) = await recorder.ReadAsync(history.ToRead(), cancellationToken).ConfigureAwait(false);
        var result = HistoryBuilder.Build(history, data);
        return ApiResults.Json(w => HistoryJson.WriteRest(w, result));
    }

    private static async Task<IResult> GetLogbookAsync(HttpContext context, HistoryRecorder recorder, PiHubOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        var zone = HistoryTime.Zone(options.Hub.TimeZone);
        var query = context.Request.Query;
        DateTimeOffset start;
        if (context.Request.RouteValues.TryGetValue("start", out var raw))
        {
            if (!HistoryTime.TryParse(raw as string, zone, out start))
            {
                return ApiResults.BadRequest($"Invalid datetime: \"{raw}\". Give the start as ISO 8601 in the path, e.g. /api/logbook/2026-11-26T00:00:00+00:00.");
            }
        }
        else
        {
            start = HistoryTime.StartOfLocalDay(time.GetUtcNow(), zone);
        }

        var period = 1;
        if (query.TryGetValue("period", out var periodText) && (!int.TryParse(periodText, out period) || period is < 1 or > 365))
        {
            return ApiResults.BadRequest($"Invalid period: \"{periodText}\". Give a whole number of days from 1 to 365.");
        }

        IReadOnlyList<string>? entityIds = null;
        if (query["entity"].ToString() is { Length: > 0 } entityText)
        {
            var ids = entityText.ToLowerInvariant().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (ids.Length == 0 || ids.Any(id => !EntityId.IsValid(id)))
            {
                return ApiResults.BadRequest($"Invalid entity id(s) encountered: {entityText}. Format should be <domain>.<object_id>, e.g. entity=light.hall,switch.pump.");
            }

            entityIds = ids;
        }

        DateTimeOffset from, to;
        if (query.TryGetValue("end_time", out var endText))
        {
            from = start;
            if (!HistoryTime.TryParse(endText, zone, out to))
            {
                return ApiResults.BadRequest($"Invalid end_time: \"{endText}\". Use ISO 8601, e.g. end_time=2026-11-26T12:00:00Z (encode + as %2B).");
            }
        }
        else
        {
            from = start.AddDays(-(period - 1));
            to = from.AddDays(period);
        }

        var contextId = query["context_id"].ToString() is { Length: > 0 } c ? c : null;
        if (contextId is not null && entityIds is not null)
        {
            return ApiResults.BadRequest("Can't combine entity with context_id: ask for one or the other.");
        }

        var logbook = new LogbookQuery(from, to, entityIds, contextId);
        var (data, _) = await recorder.ReadAsync(logbook.ToRead(), cancellationToken).ConfigureAwait(false);
        var entries = new LogbookProcessor(logbook, includeNames: true, UserNames(context.RequestServices)).Process(data.Items);
        return ApiResults.Json(w => HistoryJson.WriteLogbook(w, entries, epoch: false));
    }

    /// <summary>User id to name, for the logbook's <c>context_user_name</c>.</summary>
    internal static Func<string, string?> UserNames(IServiceProvider services)
    {
        var users = services.GetRequiredService<IAuthStore>().Current.Users;
        return id => users.GetValueOrDefault(id)?.Name;
    }
}
