namespace PiHub.Core.Auth;

/// <summary>
/// Who asks for an auth change: a user of the hub (the HTTP and WebSocket API), or the console, which is
/// <c>pihub-cli</c> run on the hub by root, the service's user or a member of its admin group. The console is the
/// recovery path: it proved itself to the operating system, not to the hub, and may change the owner.
/// </summary>
public sealed class AuthActor
{
    private AuthActor(string? userId) => UserId = userId;

    /// <summary><c>pihub-cli</c> on the hub.</summary>
    public static AuthActor Console { get; } = new(null);

    /// <summary>The user's id; null for the console.</summary>
    public string? UserId { get; }

    /// <summary>True for <c>pihub-cli</c> on the hub.</summary>
    public bool IsConsole => UserId is null;

    /// <summary>A user of the hub, by id.</summary>
    public static AuthActor ForUser(string userId)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        return new(userId);
    }

    /// <summary>A user of the hub, by id (the API's call sites pass the principal's id).</summary>
    public static implicit operator AuthActor(string userId) => ForUser(userId);

    /// <summary>True when this actor is the user with <paramref name="userId"/>.</summary>
    public bool Is(string userId) => UserId == userId;

    /// <inheritdoc/>
    public override string ToString() => UserId ?? "pihub-cli";
}
