using System.Net;
using PiHub.Core.Auth.TrustedNetworks;

namespace PiHub.Configuration;

/// <summary>
/// One entry of <c>auth.trusted_networks</c>:
/// <c>{cidr, users: [usernames] | all, allow_bypass_login, skip_mfa, allow_api_without_token}</c>.
/// Validated by <see cref="ConfigLoader"/>; users are resolved by username at request time.
/// </summary>
public sealed record TrustedNetworkOptions
{
    /// <summary>The network, e.g. 192.168.1.0/24.</summary>
    public required IPNetwork Cidr { get; init; }

    /// <summary>Allowed usernames (normalised), or null for <c>users: all</c>.</summary>
    public IReadOnlyList<string>? Users { get; init; }

    /// <summary>With exactly one allowed user, log in without the user form.</summary>
    public bool AllowBypassLogin { get; init; }

    /// <summary>Logins through this network skip the MFA step.</summary>
    public bool SkipMfa { get; init; }

    /// <summary>Requests without a token act as the single user in <see cref="Users"/> (REST and WebSocket alike).</summary>
    public bool AllowApiWithoutToken { get; init; }

    /// <summary>The core type the auth system uses.</summary>
    public TrustedNetwork ToCore() => new(Cidr, Users, AllowBypassLogin, SkipMfa, AllowApiWithoutToken);
}
