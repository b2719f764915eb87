namespace PiHub.Storage.Durability;

/// <summary>
/// The stream LiteDB writes through. LiteDB 5.0.21 never fsyncs its log on commit
/// (LiteDB #2818), so this wrapper does it: when a log page carrying the "confirmed" flag
/// is written, everything before it is flushed to the medium first (so the confirmation can
/// never reach the disk ahead of the pages it confirms) and the page itself is flushed right
/// after (so the commit is durable before LiteDB returns). <see cref="Flush"/> is flushed to
/// the medium too: LiteDB truncates the log after a checkpoint, and the data pages that
/// checkpoint copied must be on disk before it does. The cut of the log itself is flushed
/// before the next page is written into it rather than at once (see <see cref="SetLength"/>).
/// </summary>
internal sealed class DurableStream : Stream
{
    /// <summary>LiteDB's page size.</summary>
    internal const int PageSize = 8192;

    // BasePage.P_IS_CONFIRMED in LiteDB 5.0.21: byte 18 of every page header.
    private const int ConfirmedFlagOffset = 18;

    private readonly Stream _inner;
    private readonly bool _isLog;
    private readonly bool _durable;
    private readonly bool _syncBeforeConfirm;
    private bool _cutPending;

    /// <param name="inner">The file (or a simulated medium in tests); owned by this wrapper.</param>
    /// <param name="isLog">True for the <c>-log.db</c> stream, whose confirm pages end a transaction.</param>
    /// <param name="durable">False only for benchmarks: no flush to the medium at all.</param>
    /// <param name="syncBeforeConfirm">False only in the test that shows why the flush before the confirm page is needed.</param>
    public DurableStream(Stream inner, bool isLog, bool durable, bool syncBeforeConfirm = true)
    {
        _inner = inner;
        _isLog = isLog;
        _durable = durable;
        _syncBeforeConfirm = syncBeforeConfirm;
    }

    /// <summary>How many times the medium was asked to persist (for tests and the benchmark).</summary>
    public int SyncCount { get; private set; }

    public override bool CanRead => _inner.CanRead;

    public override bool CanSeek => _inner.CanSeek;

    public override bool CanWrite => _inner.CanWrite;

    public override long Length => _inner.Length;

    public override long Position
    {
        get => _inner.Position;
        set => _inner.Position = value;
    }

    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

    public override long Seek(long offset, SeekOrigin origin) => _inner.Seek(offset, origin);

    public override void Write(byte[] buffer, int offset, int count)
    {
        if (_cutPending) Sync();
        var confirms = _durable && _isLog && count >= PageSize && buffer[offset + ConfirmedFlagOffset] != 0;
        if (confirms && _syncBeforeConfirm) Sync();
        _inner.Write(buffer, offset, count);
        if (confirms) Sync();
    }

    public override void Flush()
    {
        if (_durable) Sync();
        else _inner.Flush();
    }

    /// <summary>
    /// LiteDB only cuts the log to nothing, after a checkpoint whose data pages are flushed. Until
    /// a page is written into it again, either length is safe after a power cut: the old log
    /// replays what the data file holds already. Once new pages go in, it is not: LiteDB numbers
    /// transactions from 1 again after a checkpoint, so an old confirm page left beyond a cut that
    /// never reached the disk would confirm a new transaction's first pages. Hence the cut is
    /// flushed before the next write, which takes one flush off the checkpoint a power failure
    /// waits for (no write follows while the gate is closed).
    /// </summary>
    public override void SetLength(long value)
    {
        _inner.SetLength(value);
        if (!_durable) return;
        if (_isLog) _cutPending = true;
        else Sync();
    }

    /// <summary>Forces everything written so far onto the medium.</summary>
    public void Sync()
    {
        SyncCount++;
        if (_inner is FileStream file) file.Flush(flushToDisk: true);
        else _inner.Flush();
        // Only once flushed: a flush that failed leaves the cut to be flushed before the next write still.
        _cutPending = false;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            try
            {
                if (_cutPending) Sync();
            }
            catch (IOException)
            {
                // Either length of the log is safe while nothing follows the cut (see SetLength).
            }

            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
