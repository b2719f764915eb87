using System.Buffers;
using System.Buffers.Binary;
using PiHub.Core.Recorder;

namespace PiHub.Storage.Recorder;

/// <summary>A day file open for appending: one frame per commit, each flushed to the medium before it counts.</summary>
internal sealed class DayLogWriter : IDisposable
{
    private readonly IHistoryFiles _files;
    private readonly Stream _stream;
    private readonly DayLogEncoder _encoder;
    private readonly ArrayBufferWriter<byte> _frame = new(16 * 1024);

    private DayLogWriter(IHistoryFiles files, DateOnly day, Stream stream, long length, DayLogEncoder encoder)
    {
        _files = files;
        Day = day;
        Name = DayLogFormat.FileName(day);
        _stream = stream;
        Length = length;
        _encoder = encoder;
    }

    public DateOnly Day { get; }

    public string Name { get; }

    /// <summary>Bytes committed (on the medium) in this file.</summary>
    public long Length { get; private set; }

    /// <summary>
    /// Opens (or creates) the file of <paramref name="day"/>. A torn last frame is cut off and
    /// described in <paramref name="repaired"/>; damage anywhere else throws <see cref="DamagedDayFileException"/>.
    /// </summary>
    public static DayLogWriter Open(IHistoryFiles files, DateOnly day, out string? repaired)
    {
        repaired = null;
        var name = DayLogFormat.FileName(day);
        var existed = files.List().Contains(name);
        var stream = files.OpenWrite(name);
        try
        {
            if (!existed || stream.Length == 0) return Create(files, day, stream, existed);
            var read = files.Read(name, long.MaxValue, out var buffer);
            try
            {
                var decoder = new DayLogDecoder(day);
                var scan = decoder.ScanFrames(buffer.AsSpan(0, read));
                if (scan.Problem is not null && !scan.TornTail)
                {
                    throw new DamagedDayFileException($"{name} is damaged: {scan.Problem} at byte {scan.GoodLength}, with more data after it");
                }

                if (scan.GoodLength < DayLogFormat.HeaderSize) return Create(files, day, stream, existed: true);
                if (scan.Problem is not null)
                {
                    stream.SetLength(scan.GoodLength);
                    files.Sync(stream);
                    repaired = $"cut {read - scan.GoodLength} bytes off the end of {name} ({scan.Problem}: a commit interrupted by a power cut)";
                }

                return new DayLogWriter(files, day, stream, scan.GoodLength, new DayLogEncoder(day, decoder.Definitions(buffer, scan.GoodLength)));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Writes <paramref name="records"/> (all of this day) as one frame and flushes it to the medium.</summary>
    public void Append(IReadOnlyList<Recorded> records)
    {
        _frame.ResetWrittenCount();
        _frame.GetSpan(DayLogFormat.FrameHeaderSize);
        _frame.Advance(DayLogFormat.FrameHeaderSize);
        _encoder.BeginFrame(_frame);
        foreach (var record in records) _encoder.Encode(_frame, record);
        var frame = _frame.WrittenMemory;
        // The buffer is ours: its first bytes were reserved for the frame header and the summary.
        var header = System.Runtime.InteropServices.MemoryMarshal.AsMemory(frame).Span;
        _encoder.WriteSummary(header[DayLogFormat.FrameHeaderSize..]);
        var payload = frame.Span[DayLogFormat.FrameHeaderSize..];
        BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], DayLogFormat.Crc32C(payload));
        _stream.Position = Length;
        // One write call: a power cut tears at most this frame, which the CRC then shows.
        _stream.Write(frame.Span);
        _files.Sync(_stream);
        Length += frame.Length;
    }

    public void Dispose() => _stream.Dispose();

    private static DayLogWriter Create(IHistoryFiles files, DateOnly day, Stream stream, bool existed)
    {
        stream.SetLength(0);
        stream.Position = 0;
        stream.Write(DayLogFormat.Header(day));
        files.Sync(stream);
        // The new name must be durable before any commit in it counts.
        if (!existed) files.SyncDirectory();
        return new DayLogWriter(files, day, stream, DayLogFormat.HeaderSize, new DayLogEncoder(day));
    }
}

/// <summary>A day file damaged somewhere other than its last frame: it is moved aside, never appended to.</summary>
internal sealed class DamagedDayFileException(string message) : Exception(message);
