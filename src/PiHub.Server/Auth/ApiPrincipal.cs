using PiHub.Core.Auth.Model;

namespace PiHub.Server.Auth;

/// <summary>Who made an API request, and how they proved it.</summary>
/// <param name="User">Always a named user: PiHub never serves an anonymous API request.</param>
/// <param name="RefreshTokenId">The refresh token behind the access token; null for trusted-network access without a token.</param>
/// <param name="Method">"token" or "trusted_network", for logs and events.</param>
public sealed record ApiPrincipal(User User, string? RefreshTokenId, string Method = ApiPrincipal.TokenMethod)
{
    /// <summary><see cref="Method"/> of a request that presented an access token.</summary>
    public const string TokenMethod = "token";

    /// <summary><see cref="Method"/> of a token-less request from a trusted network with <c>allow_api_without_token</c>.</summary>
    public const string TrustedNetworkMethod = "trusted_network";

    public bool IsAdmin => User.IsAdmin;

    public bool IsReadOnly => User.IsReadOnly;
}
