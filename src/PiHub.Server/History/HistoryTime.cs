using System.Globalization;
using System.Text.RegularExpressions;

namespace PiHub.Server.History;

/// <summary>Times as Home Assistant's history and logbook APIs take and give them.</summary>
internal static partial class HistoryTime
{
    /// <summary>
    /// Parses an ISO 8601 time the way Home Assistant's <c>parse_datetime</c> does: with a <c>Z</c> or
    /// an offset, or without one (then in the hub's time zone, as Home Assistant reads naive times);
    /// a date alone means its midnight. An offset's <c>+</c> that a query string turned into a space
    /// is read as <c>+</c>, since curl users rarely encode it.
    /// </summary>
    public static bool TryParse(string? text, TimeZoneInfo zone, out DateTimeOffset time)
    {
        time = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        text = text.Trim();
        if (SpacedOffset().IsMatch(text)) text = SpacedOffset().Replace(text, "$1+$2");
        if (Offset().IsMatch(text))
        {
            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out time);
        }

        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)) return false;
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        time = new DateTimeOffset(local, zone.GetUtcOffset(local));
        return true;
    }

    /// <summary>Seconds since 1970 as a float with microseconds, as the WebSocket API sends times.</summary>
    public static double Epoch(DateTimeOffset time) => (time.UtcTicks - DateTime.UnixEpoch.Ticks) / (double)TimeSpan.TicksPerSecond;

    /// <summary>Midnight of today in the hub's time zone (the logbook's default start).</summary>
    public static DateTimeOffset StartOfLocalDay(DateTimeOffset now, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var midnight = local.Date;
        return new DateTimeOffset(midnight, zone.GetUtcOffset(midnight));
    }

    /// <summary>The hub's time zone (validated at start-up).</summary>
    public static TimeZoneInfo Zone(string id) => TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;

    [GeneratedRegex(@"\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}(:?\d{2})?)$", RegexOptions.IgnoreCase)]
    private static partial Regex Offset();

    [GeneratedRegex(@"(\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}:?\d{2})$")]
    private static partial Regex SpacedOffset();
}
