using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Builder;

namespace PiHub.Server.Hosting;

/// <summary>
/// Where the hub can be opened, from the addresses Kestrel actually listens on (http.server_host/server_port, or
/// <c>--urls</c>, or a port the system chose), for messages that tell a person which address to open.
/// </summary>
internal static class ListenAddresses
{
    /// <summary>The listening addresses once the server has started (empty before).</summary>
    public static IReadOnlyList<string> Of(WebApplication app) =>
        [.. app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? []];

    /// <summary>
    /// The addresses as a person opens them: a wildcard (0.0.0.0, [::], *, +) is this machine's name on the LAN
    /// (<paramref name="hostName"/>.local) or its IP address; each with a trailing '/'.
    /// </summary>
    public static string ForPeople(IEnumerable<string> addresses, string hostName)
    {
        var shown = new List<string>();
        foreach (var address in addresses)
        {
            if (!Uri.TryCreate(address.Replace("://+:", "://0.0.0.0:", StringComparison.Ordinal).Replace("://*:", "://0.0.0.0:", StringComparison.Ordinal),
                    UriKind.Absolute, out var uri))
            {
                shown.Add(address);
                continue;
            }

            var wildcard = uri.Host is "0.0.0.0" or "[::]";
            var text = wildcard
                ? $"{uri.Scheme}://{hostName}.local:{uri.Port}/ (or this machine's IP address, port {uri.Port})"
                : $"{uri.Scheme}://{uri.Authority}/";
            if (!shown.Contains(text, StringComparer.Ordinal)) shown.Add(text);
        }

        return shown.Count == 0 ? "the address the hub listens on" : string.Join(" or ", shown);
    }
}
