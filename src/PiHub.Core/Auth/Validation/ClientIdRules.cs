using System.Globalization;
using System.Net;

namespace PiHub.Core.Auth.Validation;

/// <summary>
/// IndieAuth client ids exactly as Home Assistant accepts them (<c>components/auth/indieauth.py</c>): an http(s) URL
/// with a host, no <c>.</c> or <c>..</c> path segment, no fragment, no user info, a numeric port if any, and a host
/// that is a name or a local address. Redirect URIs on the client's own scheme, host and port are accepted at once;
/// the official apps' callbacks are known; any other must be declared by the client's page (see
/// <see cref="RedirectUriVerifier"/>), so an auth code cannot be steered to a site the client did not name.
/// </summary>
public static class ClientIdRules
{
    private static readonly Dictionary<string, string[]> s_appCallbacks = new(StringComparer.Ordinal)
    {
        ["https://home-assistant.io/iOS"] = ["homeassistant://auth-callback"],
        ["https://home-assistant.io/android"] =
        [
            "homeassistant://auth-callback",
            // The Wear OS app logs in through Google's relay.
            "https://wear.googleapis.com/3p_auth/io.homeassistant.companion.android",
            "https://wear.googleapis-cn.com/3p_auth/io.homeassistant.companion.android",
        ],
    };

    // Home Assistant's is_local: loopback, private (RFC 1918 and fd00::/8) and link-local.
    private static readonly IPNetwork[] s_local =
    [
        IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("::1/128"),
        IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("fd00::/8"), IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("fe80::/10"),
    ];

    /// <summary>True when <paramref name="clientId"/> is a client id Home Assistant accepts.</summary>
    public static bool IsValidClientId(string? clientId)
    {
        if (string.IsNullOrEmpty(clientId) || clientId.Length > 2048) return false;
        if (clientId.Contains('#', StringComparison.Ordinal)) return false;
        var schemeEnd = clientId.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0) return false;
        var scheme = clientId[..schemeEnd].ToLowerInvariant();
        if (scheme is not ("http" or "https")) return false;

        var rest = clientId[(schemeEnd + 3)..];
        var netlocEnd = rest.IndexOfAny(['/', '?']);
        var netloc = (netlocEnd < 0 ? rest : rest[..netlocEnd]).ToLowerInvariant();
        var afterNetloc = netlocEnd < 0 ? "" : rest[netlocEnd..];
        var queryStart = afterNetloc.IndexOf('?', StringComparison.Ordinal);
        var path = queryStart < 0 ? afterNetloc : afterNetloc[..queryStart];

        if (netloc.Length == 0 || netloc.Contains('@', StringComparison.Ordinal)) return false;
        if (path.Split('/').Any(segment => segment is "." or "..")) return false;
        if (!HasValidPort(netloc, out var host) || host.Length == 0) return false;
        return IsNameOrLocalAddress(netloc);
    }

    /// <summary>
    /// True when <paramref name="redirectUri"/> may receive codes for <paramref name="clientId"/> without asking the
    /// client's page: the same scheme, host and port, or a known app's callback.
    /// </summary>
    public static bool IsValidRedirectUri(string clientId, string redirectUri)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        ArgumentNullException.ThrowIfNull(redirectUri);
        if (s_appCallbacks.TryGetValue(clientId, out var callbacks) && callbacks.Contains(redirectUri, StringComparer.Ordinal)) return true;
        if (!Uri.TryCreate(clientId, UriKind.Absolute, out var client)
            || !Uri.TryCreate(redirectUri, UriKind.Absolute, out var redirect))
        {
            return false;
        }

        return redirect.Scheme == client.Scheme
            && string.Equals(redirect.Host, client.Host, StringComparison.OrdinalIgnoreCase)
            && redirect.Port == client.Port
            && redirect.UserInfo.Length == 0
            && !redirectUri.Contains('#', StringComparison.Ordinal);
    }

    /// <summary>Throws <see cref="AuthException"/> (<c>invalid_request</c>) unless the client id is valid.</summary>
    public static void EnsureValidClientId(string? clientId)
    {
        if (!IsValidClientId(clientId))
        {
            throw new AuthException(AuthErrorCodes.InvalidRequest,
                "Invalid client_id: send the URL of your app, e.g. \"http://pihub.local:8123/\" (http or https, no fragment, " +
                "no user name, no \".\" or \"..\" path segments; an IP address only if it is a local one).");
        }
    }

    /// <summary>The port, if any, is a number from 0 to 65535 (Python's <c>urlparse(…).port</c> rule).</summary>
    private static bool HasValidPort(string netloc, out string host)
    {
        var colon = netloc.LastIndexOf(':');
        var bracket = netloc.LastIndexOf(']');
        if (colon < 0 || colon < bracket || (bracket < 0 && netloc.IndexOf(':', StringComparison.Ordinal) != colon))
        {
            host = netloc;
            return true;
        }

        host = netloc[..colon];
        var port = netloc[(colon + 1)..];
        return port.Length == 0 || (port.All(char.IsAsciiDigit)
            && int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number <= 65535);
    }

    /// <summary>
    /// Home Assistant parses the whole host-and-port text as an IP address, so only a bare address (no port) counts as
    /// one, and it must then be local; a name, or an address followed by a port, passes. Kept as it is so that every
    /// client id Home Assistant accepts is accepted here, and no other.
    /// </summary>
    private static bool IsNameOrLocalAddress(string netloc)
    {
        var candidate = netloc.Length > 1 && netloc[0] == '[' && netloc[^1] == ']' ? netloc[1..^1] : netloc;
        var isDottedQuad = candidate.Split('.') is { Length: 4 } parts && parts.All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit));
        // A bracket left after stripping means "[address]:port", which Home Assistant does not see as an address.
        var isIPv6 = candidate.Count(c => c == ':') >= 2 && !candidate.Contains('[', StringComparison.Ordinal);
        if (!(isDottedQuad || isIPv6) || !IPAddress.TryParse(candidate, out var address)) return true;
        if (isDottedQuad && candidate.Split('.').Any(p => int.Parse(p, CultureInfo.InvariantCulture) > 255)) return true;
        return s_local.Any(network => network.Contains(address));
    }
}
