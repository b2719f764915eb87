using System.Security.Cryptography;

namespace PiHub.Core.Hub;

/// <summary>
/// Who or what caused a change: Home Assistant's context. Ids are ULIDs (26 characters,
/// sortable by time), so the states changed by one service call can be found by id.
/// </summary>
public sealed record HubContext(string Id, string? ParentId = null, string? UserId = null)
{
    private const string Crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>A new context, optionally attributed to a user.</summary>
    public static HubContext New(string? userId = null, TimeProvider? time = null) =>
        new(NewUlid(time ?? TimeProvider.System), null, userId);

    /// <summary>A ULID: 48 bits of milliseconds then 80 random bits, Crockford base32.</summary>
    public static string NewUlid(TimeProvider time)
    {
        Span<byte> bytes = stackalloc byte[16];
        var ms = time.GetUtcNow().ToUnixTimeMilliseconds();
        for (var i = 5; i >= 0; i--)
        {
            bytes[i] = (byte)(ms & 0xFF);
            ms >>= 8;
        }

        RandomNumberGenerator.Fill(bytes[6..]);
        Span<char> chars = stackalloc char[26];
        // 128 bits as 26 base32 digits: the first digit carries the top 3 bits.
        var hi = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes);
        var lo = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        var value = new UInt128(hi, lo);
        for (var i = 25; i >= 0; i--)
        {
            chars[i] = Crockford[(int)(value & 31)];
            value >>= 5;
        }

        return new string(chars);
    }
}
