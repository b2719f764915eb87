using System.Net;
using System.Net.Sockets;

namespace PiHub.Server.Auth.ClientPages;

/// <summary>
/// Which addresses the hub may connect to when it reads a client's page. Anyone may start a login flow, so the read
/// must not become a way to reach what only the hub can: its own loopback, link-local neighbours (cloud metadata
/// services live there), "unspecified" addresses that the kernel treats as this machine, and — unless
/// <c>auth.allow_lan_client_pages</c> says otherwise — the private LAN behind it.
/// </summary>
internal static class ClientPageAddresses
{
    /// <summary>
    /// Null when the hub may connect to <paramref name="address"/>; otherwise what kind of address it is, as the end of a
    /// sentence ("a loopback address (this machine)").
    /// </summary>
    public static string? Refusal(IPAddress address, bool allowLan)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address)) return "a loopback address (this machine)";
        Span<byte> b = stackalloc byte[16];
        address.TryWriteBytes(b, out _);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            if (b[0] == 0) return "an unspecified address (0.0.0.0/8 means this machine)";
            if (b[0] == 169 && b[1] == 254) return "a link-local address (169.254.0.0/16)";
            if (b[0] >= 224) return "a multicast or reserved address";
            var lan = b[0] == 10 || (b[0] == 172 && (b[1] & 0xF0) == 16) || (b[0] == 192 && b[1] == 168) || (b[0] == 100 && (b[1] & 0xC0) == 64);
            return lan && !allowLan ? LanRefusal : null;
        }

        // IPv6: :: and the deprecated IPv4-compatible ::a.b.c.d (the first 96 bits zero) reach no one else.
        if (b[..12].IndexOfAnyExcept((byte)0) < 0) return "an unspecified address (::)";
        if (address.IsIPv6LinkLocal) return "a link-local address (fe80::/10)";
        if (address.IsIPv6Multicast) return "a multicast address";
        return (address.IsIPv6UniqueLocal || address.IsIPv6SiteLocal) && !allowLan ? LanRefusal : null;
    }

    private const string LanRefusal =
        "a private LAN address, which the hub reads only when auth.allow_lan_client_pages is true in its config file";
}
