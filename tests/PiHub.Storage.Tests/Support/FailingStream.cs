namespace PiHub.Storage.Tests.Support;

/// <summary>A file that starts failing writes and flushes on demand, like a full or dying SD card.</summary>
internal sealed class FailingStream : Stream
{
    private readonly Stream _inner;
    private readonly Func<bool> _failing;

    public FailingStream(Stream inner, Func<bool> failing)
    {
        _inner = inner;
        _failing = failing;
    }

    public override bool CanRead => _inner.CanRead;

    public override bool CanSeek => _inner.CanSeek;

    public override bool CanWrite => _inner.CanWrite;

    public override long Length => _inner.Length;

    public override long Position
    {
        get => _inner.Position;
        set => _inner.Position = value;
    }

    public override void Flush()
    {
        Fail();
        if (_inner is FileStream file) file.Flush(flushToDisk: true);
        else _inner.Flush();
    }

    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

    public override long Seek(long offset, SeekOrigin origin) => _inner.Seek(offset, origin);

    public override void SetLength(long value)
    {
        Fail();
        _inner.SetLength(value);
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        Fail();
        _inner.Write(buffer, offset, count);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }

    private void Fail()
    {
        if (_failing()) throw new IOException("No space left on device");
    }
}
