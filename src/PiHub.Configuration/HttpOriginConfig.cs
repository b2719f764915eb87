namespace PiHub.Configuration;

/// <summary>
/// Reads <c>http.cors_allowed_origins</c> and <c>http.allowed_hosts</c>: the web pages allowed to call the hub from a
/// browser, and the extra names it answers to for logins and changes (see the server's same-origin guard).
/// </summary>
internal static class HttpOriginConfig
{
    /// <summary>Normalises one <c>http.cors_allowed_origins</c> entry to <c>scheme://host[:port]</c>, or refuses it.</summary>
    public static string ParseAllowedOrigin(this ConfigReader http, string value)
    {
        if (Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            && uri.AbsolutePath == "/" && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.UserInfo))
        {
            return uri.IsDefaultPort ? $"{uri.Scheme}://{uri.IdnHost.ToLowerInvariant()}" : $"{uri.Scheme}://{uri.IdnHost.ToLowerInvariant()}:{uri.Port}";
        }

        throw http.Bad("cors_allowed_origins", value, "origins such as https://dashboard.example.com or http://192.168.1.20:3000 (scheme, host and port only, no path)");
    }

    /// <summary>Normalises one <c>http.allowed_hosts</c> entry (<c>name</c> or <c>*.suffix</c>), or refuses it.</summary>
    public static string ParseAllowedHost(this ConfigReader http, string value)
    {
        var host = value.Trim().TrimEnd('.').ToLowerInvariant();
        var name = host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host;
        if (name.Length > 0 && Uri.CheckHostName(name) == UriHostNameType.Dns) return host;
        throw http.Bad("allowed_hosts", value, "host names such as hub.example.com or *.example.com (no scheme, port or path)");
    }
}
