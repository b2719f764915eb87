namespace PiHub.Storage.Tests.Support;

/// <summary>A file on a <see cref="SimulatedMedium"/>: reads see every write (the page cache), the medium records them.</summary>
internal sealed class SimulatedStream : Stream
{
    private readonly SimulatedMedium _medium;
    private readonly string _name;
    private readonly MemoryStream _cache = new();

    public SimulatedStream(SimulatedMedium medium, string name, byte[] initial)
    {
        _medium = medium;
        _name = name;
        _cache.Write(initial);
        _cache.Position = 0;
    }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => true;

    public override long Length => _cache.Length;

    public override long Position
    {
        get => _cache.Position;
        set => _cache.Position = value;
    }

    public override void Flush() => _medium.Record(new SimOp(_name, SimOpKind.Flush, 0, null));

    public override int Read(byte[] buffer, int offset, int count) => _cache.Read(buffer, offset, count);

    public override long Seek(long offset, SeekOrigin origin) => _cache.Seek(offset, origin);

    public override void SetLength(long value)
    {
        _medium.Record(new SimOp(_name, SimOpKind.SetLength, value, null));
        _cache.SetLength(value);
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        _medium.Record(new SimOp(_name, SimOpKind.Write, _cache.Position, buffer.AsSpan(offset, count).ToArray()));
        _cache.Write(buffer, offset, count);
    }
}
