using System.Net;
using Microsoft.AspNetCore.Http;

namespace PiHub.Server.Http;

/// <summary>
/// Which web pages may act on the hub from a browser (their <c>Origin</c>), and under which names the hub accepts
/// logins and changes (its <c>Host</c>). The rules behind <see cref="SameOriginGuard"/>, kept free of HTTP plumbing.
/// </summary>
internal static class HttpOrigins
{
    /// <summary>
    /// Name endings that no one outside the LAN can point at another address: mDNS (<c>.local</c>), the home
    /// network's own (<c>.home.arpa</c>, <c>.lan</c>, <c>.home</c>, <c>.internal</c>, <c>.localdomain</c>) and
    /// <c>.localhost</c>. A DNS-rebinding page needs a public name it controls, so these are safe by default.
    /// </summary>
    private static readonly string[] s_privateSuffixes = [".local", ".home.arpa", ".lan", ".home", ".internal", ".localdomain", ".localhost"];

    /// <summary>
    /// True when <paramref name="origin"/> is a page that may act on this hub: the hub's own pages (same host and
    /// port as <paramref name="host"/>) or one of <paramref name="allowed"/>. <c>null</c> and unparsable origins
    /// (sandboxed frames, <c>file:</c> pages) may not.
    /// </summary>
    public static bool IsAllowedOrigin(string origin, HostString host, IReadOnlyList<string> allowed)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")) return false;
        if (IsSameAuthority(uri, host)) return true;
        var normalised = OriginOf(uri);
        foreach (var entry in allowed)
        {
            if (string.Equals(entry, normalised, StringComparison.Ordinal)) return true;
        }

        return false;
    }

    /// <summary>
    /// True when the hub accepts logins and changes under <paramref name="host"/>: an IP address, a name without
    /// dots, a private name (see <see cref="s_privateSuffixes"/>), <c>localhost</c>, or one of <paramref name="allowed"/>.
    /// </summary>
    public static bool IsAllowedHost(HostString host, IReadOnlyList<string> allowed)
    {
        if (!host.HasValue) return true;
        var name = host.Host.TrimEnd('.').ToLowerInvariant();
        if (name.StartsWith('[') || IPAddress.TryParse(name, out _)) return true;
        if (!name.Contains('.') || name == "localhost") return true;
        foreach (var suffix in s_privateSuffixes)
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal)) return true;
        }

        foreach (var entry in allowed)
        {
            if (entry.StartsWith("*.", StringComparison.Ordinal) ? name.EndsWith(entry[1..], StringComparison.Ordinal) || name == entry[2..] : name == entry)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsSameAuthority(Uri origin, HostString host)
    {
        if (!host.HasValue || !string.Equals(origin.IdnHost.Trim('[', ']'), host.Host.Trim('[', ']'), StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // A Host without a port means the scheme's default, as the origin's does.
        return (host.Port ?? (origin.Scheme == "https" ? 443 : 80)) == origin.Port;
    }

    /// <summary><c>scheme://host[:port]</c> in lower case, the port only when not the scheme's default.</summary>
    internal static string OriginOf(Uri uri) =>
        uri.IsDefaultPort ? $"{uri.Scheme}://{uri.IdnHost.ToLowerInvariant()}" : $"{uri.Scheme}://{uri.IdnHost.ToLowerInvariant()}:{uri.Port}";
}
