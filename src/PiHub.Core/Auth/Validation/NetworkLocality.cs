using System.Net;
using System.Net.Sockets;

namespace PiHub.Core.Auth.Validation;

/// <summary>Whether an address is on the local network (loopback, private, link-local, unique-local).</summary>
public static class NetworkLocality
{
    private static readonly IPNetwork[] s_local =
    [
        IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("10.0.0.0/8"),
        IPNetwork.Parse("172.16.0.0/12"),
        IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("169.254.0.0/16"),
        IPNetwork.Parse("100.64.0.0/10"),
        IPNetwork.Parse("::1/128"),
        IPNetwork.Parse("fc00::/7"),
        IPNetwork.Parse("fe80::/10"),
    ];

    /// <summary>True for addresses that cannot come from the internet directly. Null is not local.</summary>
    public static bool IsLocal(IPAddress? address)
    {
        if (address is null) return false;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6)) return false;
        foreach (var network in s_local)
        {
            if (network.Contains(address)) return true;
        }

        return false;
    }

    /// <summary>True when <paramref name="address"/> lies in <paramref name="cidr"/>; false for a malformed CIDR.</summary>
    public static bool IsInNetwork(IPAddress? address, string cidr)
    {
        if (address is null || !IPNetwork.TryParse(cidr, out var network)) return false;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        return network.Contains(address);
    }
}
