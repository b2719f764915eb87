using PiHub.Core.Auth.Model;

namespace PiHub.Core.Auth;

/// <summary>Who a request is: the user and the refresh token whose access token it presented.</summary>
/// <param name="User">The active user, as of the current store generation.</param>
/// <param name="RefreshToken">The refresh token that issued the access token.</param>
/// <param name="ExpiresAt">When the presented access token expires.</param>
public sealed record AuthenticatedPrincipal(User User, RefreshToken RefreshToken, DateTimeOffset ExpiresAt);
