namespace PiHub.Core.Auth;

/// <summary>What <c>/auth/token</c> hands out.</summary>
/// <param name="AccessToken">The JWT.</param>
/// <param name="ExpiresIn">Its lifetime in seconds.</param>
/// <param name="RefreshToken">The refresh token secret: only on the authorization-code grant, shown once.</param>
/// <param name="RefreshTokenId">The id of the refresh token behind the access token.</param>
/// <param name="AuthProviderType">The provider the user logged in with (HA's <c>ha_auth_provider</c>).</param>
public sealed record TokenGrant(
    string AccessToken,
    int ExpiresIn,
    string? RefreshToken,
    string RefreshTokenId,
    string? AuthProviderType);
