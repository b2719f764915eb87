using System.Net;
using PiHub.Core.Auth.Model;
using PiHub.Core.Auth.Providers;
using PiHub.Core.Auth.Storage;
using PiHub.Core.Auth.Validation;

namespace PiHub.Core.Auth.TrustedNetworks;

/// <summary>
/// The configured trusted networks, and the one place that decides which network (if any) vouches for an
/// address and which users it allows. The login provider and the token-less API both ask it, so the
/// dashboard, REST and WebSocket follow one trust model. Users are resolved by username at request time.
/// </summary>
public sealed class TrustedNetworkTable
{
    private readonly TrustedNetwork[] _networks;

    /// <summary>Creates the table; an empty list means no address is trusted.</summary>
    public TrustedNetworkTable(IEnumerable<TrustedNetwork> networks)
    {
        ArgumentNullException.ThrowIfNull(networks);
        // Most specific first, so a /32 inside a /24 gets its own rules.
        _networks = [.. networks.OrderByDescending(n => n.Network.PrefixLength)];
    }

    /// <summary>Every configured network, most specific first.</summary>
    public IReadOnlyList<TrustedNetwork> All => _networks;

    /// <summary>True when at least one network is configured.</summary>
    public bool IsEmpty => _networks.Length == 0;

    /// <summary>The most specific network containing <paramref name="address"/>, or null.</summary>
    public TrustedNetwork? Match(IPAddress? address)
    {
        if (address is null) return null;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        foreach (var network in _networks)
        {
            if (network.Network.Contains(address)) return network;
        }

        return null;
    }

    /// <summary>
    /// The users <paramref name="network"/> allows, ordered by name: active, not system-generated, and either
    /// named in its <c>users</c> list (by username) or any such user for <c>users: all</c>.
    /// </summary>
    public static IReadOnlyList<User> AllowedUsers(AuthData data, TrustedNetwork network)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(network);
        IEnumerable<User> candidates = network.Usernames is null
            ? data.Users.Values
            : network.Usernames.Select(name => FindByUsername(data, name)).OfType<User>();
        return [.. candidates
            .Where(u => u.IsActive && !u.SystemGenerated)
            .DistinctBy(u => u.Id)
            .OrderBy(u => u.Name, StringComparer.CurrentCultureIgnoreCase)
            .ThenBy(u => u.Id, StringComparer.Ordinal)];
    }

    /// <summary>The user holding the local credential <paramref name="username"/>, or null.</summary>
    public static User? FindByUsername(AuthData data, string username)
    {
        ArgumentNullException.ThrowIfNull(data);
        var normalized = CredentialRules.NormalizeUsername(username);
        var credential = data.Credentials.Values.FirstOrDefault(c =>
            c.ProviderType == HomeAssistantAuthProvider.ProviderType && c.Username == normalized);
        return credential is null ? null : data.Users.GetValueOrDefault(credential.UserId);
    }

    /// <summary>
    /// For a request without a token: the user it acts as, when <paramref name="address"/> is in a network with
    /// <c>allow_api_without_token</c> and that network's one named user exists, is active and not system-generated.
    /// </summary>
    /// <param name="data">The current auth data.</param>
    /// <param name="address">The resolved client address.</param>
    /// <param name="network">The matching network, or null when none vouches for the address.</param>
    /// <param name="user">The user to act as, or null.</param>
    /// <returns>True when the request may proceed as <paramref name="user"/>.</returns>
    public bool TryResolveApiUser(AuthData data, IPAddress? address, out TrustedNetwork? network, out User? user)
    {
        user = null;
        network = Match(address);
        if (network is not { AllowApiWithoutToken: true, Usernames: [var username] }) return false;
        var found = FindByUsername(data, username);
        if (found is null || !found.IsActive || found.SystemGenerated) return false;
        user = found;
        return true;
    }
}
