using System.Net;

namespace PiHub.Server.Auth;

/// <summary>
/// The address auth decisions use for a request. For now the TCP peer; trusted-proxy handling
/// (<c>X-Forwarded-For</c> from configured proxies only) will plug in here.
/// </summary>
public static class ClientAddress
{
    /// <summary>The resolved client address, IPv4-mapped IPv6 addresses unmapped; null when unknown.</summary>
    public static IPAddress? Get(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var address = context.Connection.RemoteIpAddress;
        return address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;
    }
}
