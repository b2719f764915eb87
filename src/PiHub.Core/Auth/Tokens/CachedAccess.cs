namespace PiHub.Core.Auth.Tokens;

/// <summary>A verified access token, remembered until it expires so the hot path skips the signature check.</summary>
internal sealed record CachedAccess(string RefreshTokenId, DateTimeOffset ExpiresAt);
