namespace PiHub.Storage.Tests.Support;

/// <summary>Damages files the way SD cards and power cuts do.</summary>
internal static class Corruptor
{
    public const int Page = 8192;

    public static void Truncate(string path, long length)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Write);
        fs.SetLength(length);
    }

    public static void Zero(string path, long offset, int count)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Write);
        fs.Position = offset;
        fs.Write(new byte[count]);
    }

    public static void FlipBytes(string path, int count, int seed)
    {
        var random = new Random(seed);
        using var fs = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        for (var i = 0; i < count; i++)
        {
            fs.Position = random.NextInt64(fs.Length);
            var b = fs.ReadByte();
            fs.Position--;
            fs.WriteByte((byte)(b ^ (1 << random.Next(8))));
        }
    }
}
