namespace PiHub.Core.Recorder;

/// <summary>Who is making the current API request: the user and the token or client they use.</summary>
/// <param name="UserId">The user the request acts as (matches the context's <c>user_id</c>).</param>
/// <param name="ClientName">A long-lived token's name ("Tasker"), an app's client id, or "trusted network".</param>
public sealed record Caller(string UserId, string? ClientName);

/// <summary>
/// The caller of the current request, flowing with the request's async context. The API layer
/// sets it once it knows the caller; the recorder reads it while the change is being made (events
/// are delivered synchronously), so the logbook can say which token turned on the porch light —
/// something Home Assistant's context (user id only) cannot.
/// </summary>
public static class CallerScope
{
    private static readonly AsyncLocal<Caller?> s_current = new();

    /// <summary>The caller of the request running on this async flow, or null (the hub itself).</summary>
    public static Caller? Current => s_current.Value;

    /// <summary>Sets the caller for the rest of the current async flow (a request, a WebSocket connection).</summary>
    public static void Set(Caller? caller) => s_current.Value = caller;

    /// <summary>The client name to record for a change made with <paramref name="userId"/>: only when the caller is that user.</summary>
    public static string? ClientNameFor(string? userId) =>
        userId is not null && s_current.Value is { } caller && string.Equals(caller.UserId, userId, StringComparison.Ordinal)
            ? caller.ClientName
            : null;
}
