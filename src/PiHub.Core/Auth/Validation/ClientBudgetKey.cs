using System.Net;
using System.Net.Sockets;

namespace PiHub.Core.Auth.Validation;

/// <summary>
/// The key of a client's share of a per-client budget (open login flows, password checks): its IPv4 address, or its
/// IPv6 /64. One IPv6 host usually owns a whole /64 (SLAAC, privacy addresses), so counting per address would
/// hand it 2^64 budgets.
/// </summary>
public static class ClientBudgetKey
{
    /// <summary>The key for <paramref name="address"/>; every unknown address shares the key <c>unknown</c>.</summary>
    public static string Of(IPAddress? address)
    {
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6 || IPAddress.IsLoopback(address)) return address.ToString();
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return $"{new IPAddress(bytes)}/64";
    }
}
