using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using PiHub.Configuration;

namespace PiHub.Server.Http;

/// <summary>
/// Honours <c>X-Forwarded-For</c> only from <c>http.trusted_proxies</c>: the rightmost hop that is
/// not a trusted proxy becomes the client address. From any other peer the header is refused
/// with 400, so nobody on the LAN can pretend to be on a trusted network or dodge a ban.
/// </summary>
public sealed class ForwardedForMiddleware(RequestDelegate next, PiHubOptions options, ILogger<ForwardedForMiddleware> logger)
{
    private readonly IReadOnlyList<IPNetwork> _proxies = options.Http.TrustedProxies;

    public Task InvokeAsync(HttpContext context)
    {
        var header = context.Request.Headers["X-Forwarded-For"];
        if (header.Count == 0) return next(context);

        var peer = ClientAddress.Of(context);
        if (!IsTrustedProxy(peer))
        {
            logger.LogWarning("Refused X-Forwarded-For from {Peer}: not in http.trusted_proxies", peer);
            return Refuse(context, ApiErrorCodes.UntrustedProxy, $"X-Forwarded-For was sent by {peer}, which is not a trusted proxy. If {peer} is your reverse proxy, add it to http.trusted_proxies in pihub.yaml; otherwise remove the header.");
        }

        var hops = header.SelectMany(h => (h ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToList();
        IPAddress? client = null;
        for (var i = hops.Count - 1; i >= 0; i--)
        {
            if (!IPAddress.TryParse(hops[i], out var hop))
            {
                return Refuse(context, ApiErrorCodes.InvalidFormat, $"X-Forwarded-For holds \"{hops[i]}\", which is not an IP address. Check the reverse proxy's configuration.");
            }

            client = hop.IsIPv4MappedToIPv6 ? hop.MapToIPv4() : hop;
            if (!IsTrustedProxy(client)) break;
        }

        if (client is not null) context.Connection.RemoteIpAddress = client;
        return next(context);
    }

    private bool IsTrustedProxy(IPAddress address)
    {
        foreach (var network in _proxies)
        {
            if (network.Contains(address)) return true;
        }

        return false;
    }

    private static Task Refuse(HttpContext context, string code, string message) =>
        ApiResults.BadRequest(message, code).ExecuteAsync(context);
}
