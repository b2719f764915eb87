namespace PiHub.Core.Auth.Model;

/// <summary>A username and password of the local ("homeassistant") auth provider.</summary>
public sealed record Credential : AuthRecord
{
    public override AuthRecordKind Kind => AuthRecordKind.Credential;

    public required string UserId { get; init; }

    /// <summary>Provider type as Home Assistant names it, e.g. <c>homeassistant</c>.</summary>
    public string ProviderType { get; init; } = "homeassistant";

    /// <summary>Normalised: trimmed and case-folded. Unique per provider.</summary>
    public required string Username { get; init; }

    /// <summary>Self-describing hash, see <c>PasswordHasher</c>.</summary>
    public required string PasswordHash { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}
