namespace PiHub.Core.Auth.Validation;

/// <summary>
/// IndieAuth client ids as Home Assistant accepts them: an absolute http(s) URL with a host, no
/// fragment and no user info. Redirect URIs must stay on the client's origin (or be the official
/// mobile apps' callback), so an auth code cannot be steered to another site.
/// </summary>
public static class ClientIdRules
{
    private static readonly Dictionary<string, string> s_appCallbacks = new(StringComparer.Ordinal)
    {
        ["https://home-assistant.io/iOS"] = "homeassistant://auth-callback",
        ["https://home-assistant.io/android"] = "homeassistant://auth-callback",
    };

    /// <summary>True when <paramref name="clientId"/> is a valid IndieAuth client id.</summary>
    public static bool IsValidClientId(string? clientId)
    {
        if (string.IsNullOrEmpty(clientId) || clientId.Length > 2048) return false;
        if (!Uri.TryCreate(clientId, UriKind.Absolute, out var uri)) return false;
        return (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && uri.Host.Length > 0
            && uri.UserInfo.Length == 0
            && !clientId.Contains('#', StringComparison.Ordinal);
    }

    /// <summary>True when <paramref name="redirectUri"/> may receive codes for <paramref name="clientId"/>.</summary>
    public static bool IsValidRedirectUri(string clientId, string redirectUri)
    {
        if (s_appCallbacks.TryGetValue(clientId, out var callback) && redirectUri == callback) return true;
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
                "Invalid client_id: send the URL of your app, e.g. \"http://pihub.local:8123/\" (http or https, no fragment).");
        }
    }
}
