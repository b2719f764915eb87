using System.Net;

namespace PiHub.Core.Auth.TrustedNetworks;

/// <summary>
/// One entry of <c>auth.trusted_networks</c>: callers whose resolved address lies in <see cref="Network"/>
/// may log in as one of <see cref="Usernames"/> without a password, and, when
/// <see cref="AllowApiWithoutToken"/> is set, use the API without a token as the single named user.
/// A trusted network always resolves to a named user; it never grants anonymous access.
/// </summary>
/// <param name="Network">The CIDR the caller's resolved client address must lie in.</param>
/// <param name="Usernames">Allowed usernames (normalised), or null for every active, non-system user.</param>
/// <param name="AllowBypassLogin">With exactly one allowed user, the login flow completes without a form.</param>
/// <param name="SkipMfa">Logins through this network skip the MFA step.</param>
/// <param name="AllowApiWithoutToken">
/// REST requests and WebSocket <c>auth</c> messages without a token act as the single user in <see cref="Usernames"/>.
/// </param>
public sealed record TrustedNetwork(
    IPNetwork Network,
    IReadOnlyList<string>? Usernames,
    bool AllowBypassLogin = false,
    bool SkipMfa = false,
    bool AllowApiWithoutToken = false)
{
    /// <summary>The network in CIDR notation, as recorded on auth codes and refresh tokens.</summary>
    public string Cidr => Network.ToString();

    /// <summary>True when every active, non-system user may log in through this network (<c>users: all</c>).</summary>
    public bool AllowsAllUsers => Usernames is null;
}
