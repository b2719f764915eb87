using System.Buffers;
using System.Text;

namespace PiHub.Storage.Recorder;

/// <summary>Varints (LEB128), zigzag, length-prefixed UTF-8 and ULIDs for the day log.</summary>
internal static class Bytes
{
    private const string Crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static void WriteVarint(IBufferWriter<byte> writer, ulong value)
    {
        var span = writer.GetSpan(10);
        var n = 0;
        while (value >= 0x80)
        {
            span[n++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[n++] = (byte)value;
        writer.Advance(n);
    }

    public static void WriteSigned(IBufferWriter<byte> writer, long value) => WriteVarint(writer, (ulong)((value << 1) ^ (value >> 63)));

    public static void WriteString(IBufferWriter<byte> writer, string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        WriteVarint(writer, (ulong)length);
        Encoding.UTF8.GetBytes(value, writer.GetSpan(length));
        writer.Advance(length);
    }

    public static int VarintSize(ulong value)
    {
        var n = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            n++;
        }

        return n;
    }

    /// <summary>Parses a canonical ULID (26 upper-case Crockford characters) into 16 bytes; false for anything else.</summary>
    public static bool TryParseUlid(string text, Span<byte> bytes)
    {
        if (text.Length != 26) return false;
        UInt128 value = 0;
        foreach (var c in text)
        {
            var digit = Crockford.IndexOf(c, StringComparison.Ordinal);
            if (digit < 0) return false;
            value = (value << 5) | (uint)digit;
        }

        // 26 digits carry 130 bits: the first digit may only use its low 3 bits.
        if (Crockford.IndexOf(text[0], StringComparison.Ordinal) > 7) return false;
        for (var i = 15; i >= 0; i--)
        {
            bytes[i] = (byte)(value & 0xFF);
            value >>= 8;
        }

        return true;
    }

    public static string FormatUlid(ReadOnlySpan<byte> bytes)
    {
        UInt128 value = 0;
        foreach (var b in bytes[..16]) value = (value << 8) | b;
        return string.Create(26, value, static (chars, v) =>
        {
            for (var i = 25; i >= 0; i--)
            {
                chars[i] = Crockford[(int)(v & 31)];
                v >>= 5;
            }
        });
    }
}

/// <summary>Reads the day log's primitives from a span; throws <see cref="InvalidDataException"/> past its end.</summary>
internal ref struct ByteReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;

    public int Position { get; set; }

    public readonly bool AtEnd => Position >= _data.Length;

    public byte ReadByte() => Position < _data.Length ? _data[Position++] : throw Truncated();

    public ulong ReadVarint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = ReadByte();
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return value;
        }

        throw new InvalidDataException("a varint is longer than 10 bytes");
    }

    public int ReadInt() => checked((int)ReadVarint());

    public long ReadSigned()
    {
        var raw = ReadVarint();
        return (long)(raw >> 1) ^ -(long)(raw & 1);
    }

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        if (count < 0 || Position + count > _data.Length) throw Truncated();
        var span = _data.Slice(Position, count);
        Position += count;
        return span;
    }

    public string ReadString() => Encoding.UTF8.GetString(ReadBytes(ReadInt()));

    public void Skip(int count) => ReadBytes(count);

    private static InvalidDataException Truncated() => new("a record runs past the end of its frame");
}
