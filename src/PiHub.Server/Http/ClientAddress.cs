using System.Net;
using Microsoft.AspNetCore.Http;

namespace PiHub.Server.Http;

/// <summary>
/// The address a request really comes from. <c>X-Forwarded-For</c> is applied by
/// <see cref="ForwardedForMiddleware"/> (trusted proxies only) before anything reads this.
/// </summary>
public static class ClientAddress
{
    /// <summary>The resolved client address (IPv4-mapped addresses unmapped); <c>IPv6None</c> when unknown.</summary>
    public static IPAddress Of(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress ?? IPAddress.IPv6None;
        return address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
    }
}
