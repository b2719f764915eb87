namespace PiHub.Core.Hub.Domains;

/// <summary>
/// What users may do with <c>persistent_notification</c>. The hub's own notifications (bans, a recovered user
/// database, brownouts, recorder failures) tell the owner about security and data loss, so only the hub creates
/// them and only an administrator dismisses them; and each user's notifications are capped in number and size, so
/// one account cannot fill the hub store or the owner's dashboard.
/// </summary>
public static class NotificationRules
{
    /// <summary>Notifications one user's service calls may have at once (those without a user share one allowance).</summary>
    public const int MaxPerUser = 100;

    /// <summary>The longest message, in characters.</summary>
    public const int MaxMessageLength = 16_384;

    /// <summary>The longest title, in characters.</summary>
    public const int MaxTitleLength = 256;

    /// <summary>The longest notification id, in characters.</summary>
    public const int MaxIdLength = 255;

    /// <summary>Ids the hub gives its own notifications, whole.</summary>
    public static readonly IReadOnlyList<string> ReservedIds = ["auth_store_recovery", "recorder_failure", "recorder_store_recovered"];

    /// <summary>Prefixes of the hub's own notification ids (one notification per ban or brownout).</summary>
    public static readonly IReadOnlyList<string> ReservedPrefixes = ["ip_ban_", "power_brownout_", "pihub_"];

    /// <summary>True for an id only the hub may create and only an administrator may dismiss.</summary>
    public static bool IsReserved(string notificationId) =>
        ReservedIds.Contains(notificationId, StringComparer.OrdinalIgnoreCase)
        || ReservedPrefixes.Any(p => notificationId.StartsWith(p, StringComparison.OrdinalIgnoreCase));

    /// <summary>Why a user's <c>create</c> is refused (a reserved id, or too long), or null.</summary>
    public static string? RefuseCreate(string message, string? title, string? notificationId)
    {
        if (notificationId is not null && IsReserved(notificationId))
        {
            return $"The notification id \"{notificationId}\" is reserved for the hub's own notices (ids starting with " +
                   $"{string.Join(", ", ReservedPrefixes)} and {string.Join(", ", ReservedIds)}); choose another notification_id.";
        }

        if (notificationId is { Length: > MaxIdLength }) return $"notification_id is {notificationId.Length} characters; the most is {MaxIdLength}.";
        if (title is { Length: > MaxTitleLength }) return $"title is {title.Length} characters; the most is {MaxTitleLength}.";
        if (message.Length > MaxMessageLength)
        {
            return $"message is {message.Length} characters; the most is {MaxMessageLength}. Shorten it, or link to the details.";
        }

        return null;
    }
}
