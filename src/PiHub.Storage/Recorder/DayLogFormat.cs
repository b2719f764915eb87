using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;

namespace PiHub.Storage.Recorder;

/// <summary>
/// The day log's on-disk format. One file per UTC day, <c>yyyy-MM-dd.log</c>:
/// <list type="bullet">
/// <item>a 16-byte header: <c>PiHubHL1</c>, the day number (int32 LE), CRC-32C of those 12 bytes;</item>
/// <item>then frames, one per commit: payload length (uint32 LE), CRC-32C of the payload (uint32 LE), payload.</item>
/// </list>
/// A payload starts with a summary, <c>[flags u8][entity bloom u64 LE]</c> (flags bit 0: the frame
/// defines strings; bloom bit n: a state of an entity numbered n mod 64 is in it), so a one-entity
/// read skips most frames unparsed; then a run of records <c>[kind u8][length varint][body]</c>: string definitions
/// (entity ids, attributes, users, clients, event types are written once per file and referred to
/// by number), states and events. Times are microseconds from the file's UTC midnight.
/// Append-only: a power cut can only leave a torn last frame, which the CRC shows and opening cuts off.
/// </summary>
internal static class DayLogFormat
{
    public const int HeaderSize = 16;
    public const int FrameHeaderSize = 8;

    /// <summary>The summary at the start of each payload: flags (1 byte) and the entity bloom (8 bytes).</summary>
    public const int SummarySize = 9;

    /// <summary>Summary flag: the frame defines strings, so no reader may skip it.</summary>
    public const byte SummaryDefines = 1;

    /// <summary>A frame larger than this is not one we wrote: the length itself is damaged.</summary>
    public const int MaxFrameBytes = 64 * 1024 * 1024;

    public const byte KindDefine = 1;
    public const byte KindState = 2;
    public const byte KindEvent = 3;

    private static readonly byte[] s_magic = "PiHubHL1"u8.ToArray();

    public static string FileName(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + ".log";

    /// <summary>The day of a day-log file name; false for any other file (moved-aside files, strays).</summary>
    public static bool TryParseName(string name, out DateOnly day) =>
        DateOnly.TryParseExact(name.EndsWith(".log", StringComparison.Ordinal) ? name[..^4] : "", "yyyy-MM-dd",
            CultureInfo.InvariantCulture, DateTimeStyles.None, out day);

    public static long DayStartMicros(DateOnly day) => (long)(day.ToDateTime(TimeOnly.MinValue) - DateTime.UnixEpoch).Ticks / 10;

    public static long ToMicros(DateTimeOffset time) => (time.UtcTicks - DateTime.UnixEpoch.Ticks) / 10;

    public static DateTimeOffset FromMicros(long micros) => new(DateTime.UnixEpoch.Ticks + micros * 10, TimeSpan.Zero);

    public static byte[] Header(DateOnly day)
    {
        var header = new byte[HeaderSize];
        s_magic.CopyTo(header, 0);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8), day.DayNumber);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(12), Crc32C(header.AsSpan(0, 12)));
        return header;
    }

    /// <summary>True when <paramref name="header"/> is a valid header for <paramref name="day"/>.</summary>
    public static bool IsHeader(ReadOnlySpan<byte> header, DateOnly day) =>
        header.Length >= HeaderSize && header[..8].SequenceEqual(s_magic)
        && BinaryPrimitives.ReadInt32LittleEndian(header[8..]) == day.DayNumber
        && BinaryPrimitives.ReadUInt32LittleEndian(header[12..]) == Crc32C(header[..12]);

    /// <summary>CRC-32C (Castagnoli), with the CPU's instruction where it has one.</summary>
    public static uint Crc32C(ReadOnlySpan<byte> data)
    {
        var crc = uint.MaxValue;
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        foreach (var b in data) crc = BitOperations.Crc32C(crc, b);
        return ~crc;
    }
}

/// <summary>Bits of a state or event record's flags.</summary>
[Flags]
internal enum RecordFlags
{
    None = 0,
    Baseline = 1 << 0,
    Removed = 1 << 1,
    IsNew = 1 << 2,
    LastUpdatedDiffers = 1 << 3,
    LastChangedDiffers = 1 << 4,
    AttributesRef = 1 << 5,
    AttributesInline = 1 << 6,
    ContextRaw = 1 << 7,
    HasParent = 1 << 8,
    ParentRaw = 1 << 9,
    HasUser = 1 << 10,
    HasClient = 1 << 11,
    Remote = 1 << 12,
}
