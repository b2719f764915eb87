namespace PiHub.Core.Auth.Model;

/// <summary>Home Assistant's refresh token types.</summary>
public static class RefreshTokenTypes
{
    public const string Normal = "normal";
    public const string LongLived = "long_lived_access_token";
    public const string System = "system";
}

/// <summary>
/// A refresh token. The secret is never stored, only its SHA-256; each token has its own
/// JWT signing key, so deleting the token ends every access token it issued at once.
/// </summary>
public sealed record RefreshToken : AuthRecord
{
    public override AuthRecordKind Kind => AuthRecordKind.RefreshToken;

    public required string UserId { get; init; }

    /// <summary>The IndieAuth client id (a URL); null for long-lived tokens.</summary>
    public string? ClientId { get; init; }

    /// <summary>Unique per user for long-lived tokens.</summary>
    public string? ClientName { get; init; }

    public string? ClientIcon { get; init; }

    public string TokenType { get; init; } = RefreshTokenTypes.Normal;

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Lifetime of the access tokens this refresh token issues.</summary>
    public TimeSpan AccessTokenLifetime { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Lowercase hex SHA-256 of the secret handed to the client.</summary>
    public required string TokenHash { get; init; }

    /// <summary>Base64 HMAC-SHA256 key used to sign this token's access tokens.</summary>
    public required string JwtKey { get; init; }

    public DateTimeOffset? LastUsedAt { get; init; }

    public string? LastUsedIp { get; init; }

    public string? CredentialId { get; init; }

    /// <summary>When the token stops working; null for tokens that expire only when unused (HA's 90 days).</summary>
    public DateTimeOffset? ExpireAt { get; init; }

    /// <summary>The trusted network (CIDR) it was issued through; refresh is refused from outside it.</summary>
    public string? TrustedNetwork { get; init; }
}
