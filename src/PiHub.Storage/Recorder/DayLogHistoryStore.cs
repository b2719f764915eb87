using System.Buffers;
using Microsoft.Extensions.Logging;
using PiHub.Core.Recorder;

namespace PiHub.Storage.Recorder;

/// <summary>
/// History as an append-only log, one file per UTC day in <c>&lt;data_dir&gt;/history/</c>: each
/// commit is one checksummed frame appended and flushed (see <see cref="DayLogFormat"/>). A power
/// cut can only tear the last frame, which opening cuts off; a file damaged anywhere else is moved
/// aside (never deleted) and the day starts a fresh file. Purging deletes whole days. Reads decode
/// only the days asked for, skipping other entities' records without decoding them.
/// Appends and purges come from one place at a time; reads run from a view of
/// the file list and committed lengths, on any thread, concurrently with them.
/// </summary>
public sealed class DayLogHistoryStore : IHistoryStore
{
    /// <summary>The folder under the data directory.</summary>
    public const string FolderName = "history";

    private readonly IHistoryFiles _files;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SortedSet<DateOnly> _days = [];
    private readonly List<string> _report = [];
    private DayLogWriter? _writer;
    private (string Name, long Length)? _repair;
    private volatile ReadView _view = ReadView.Empty;

    private DayLogHistoryStore(IHistoryFiles files, ILogger logger, TimeProvider time)
    {
        _files = files;
        _logger = logger;
        _time = time;
    }

    /// <inheritdoc />
    public string Name => "day log";

    /// <inheritdoc />
    public string? StartupReport => _report.Count == 0 ? null : string.Join(" ", _report);

    /// <inheritdoc />
    public long SizeBytes => _view.Days.Sum(d => _files.Length(DayLogFormat.FileName(d)));

    /// <summary>Opens (creating) <c>history/</c> in <paramref name="dataDirectory"/>; <paramref name="durable"/> false only for benchmarks.</summary>
    public static DayLogHistoryStore Open(string dataDirectory, ILogger logger, TimeProvider time, bool durable = true) =>
        Open(new DirectoryHistoryFiles(Path.Combine(dataDirectory, FolderName), durable), logger, time);

    internal static DayLogHistoryStore Open(IHistoryFiles files, ILogger logger, TimeProvider time)
    {
        var store = new DayLogHistoryStore(files, logger, time);
        foreach (var name in files.List())
        {
            if (DayLogFormat.TryParseName(name, out var day)) store._days.Add(day);
        }

        // Only the newest file can end in a torn frame: it is the one a power cut interrupted.
        if (store._days.Count > 0) store.OpenWriter(store._days.Max);
        store.Publish();
        return store;
    }

    /// <inheritdoc />
    public void Append(IReadOnlyList<Recorded> batch)
    {
        var start = 0;
        while (start < batch.Count)
        {
            var day = DateOnly.FromDateTime(batch[start].Time.UtcDateTime);
            var end = start + 1;
            while (end < batch.Count && DateOnly.FromDateTime(batch[end].Time.UtcDateTime) == day) end++;
            AppendDay(day, batch is List<Recorded> list ? list.GetRange(start, end - start) : batch.Skip(start).Take(end - start).ToList());
            start = end;
        }
    }

    private void AppendDay(DateOnly day, IReadOnlyList<Recorded> records)
    {
        if (_writer?.Day != day) OpenWriter(day);
        var writer = _writer!;
        var before = writer.Length;
        try
        {
            writer.Append(records);
        }
        catch
        {
            // The file may hold part of the frame, or all of it without the flush: cut back to
            // what was acknowledged before retrying, so a retry never records anything twice.
            _repair = (writer.Name, before);
            writer.Dispose();
            _writer = null;
            throw;
        }
        finally
        {
            Publish();
        }
    }

    /// <summary>Makes what is committed now visible to reads (no I/O: names and lengths only).</summary>
    private void Publish() =>
        _view = new ReadView([.. _days], _writer is { } w ? (w.Name, w.Length) : null, _repair);

    private void OpenWriter(DateOnly day)
    {
        _writer?.Dispose();
        _writer = null;
        if (_repair is { } repair)
        {
            using (var stream = _files.OpenWrite(repair.Name))
            {
                stream.SetLength(repair.Length);
                _files.Sync(stream);
            }

            _repair = null;
        }

        string? repaired;
        try
        {
            _writer = DayLogWriter.Open(_files, day, out repaired);
        }
        catch (Exception ex) when (ex is DamagedDayFileException or InvalidDataException)
        {
            var name = DayLogFormat.FileName(day);
            var aside = _files.MoveAside(name, _time.GetUtcNow());
            _files.SyncDirectory();
            _report.Add($"The history file {name} was damaged ({ex.Message}); it was moved aside as {aside} and a fresh one started.");
            _logger.LogError("History file {File} was damaged ({Error}); moved aside as {Aside}", name, ex.Message, aside);
            _writer = DayLogWriter.Open(_files, day, out repaired);
        }

        if (repaired is not null) _logger.LogWarning("History: {Repair}", repaired);
        _days.Add(day);
        Publish();
    }

    /// <inheritdoc />
    public HistoryData Read(HistoryRead request) => Read(_view, request);

    /// <inheritdoc />
    public Func<HistoryRead, HistoryData> CaptureReader()
    {
        var view = _view;
        return request => Read(view, request);
    }

    private HistoryData Read(ReadView view, HistoryRead request)
    {
        var data = new HistoryData();
        if (request.To <= request.From && !request.StartStates) return data;
        var fromDay = DateOnly.FromDateTime(request.From.UtcDateTime);
        var toDay = DateOnly.FromDateTime((request.To > request.From ? request.To.AddTicks(-1) : request.From).UtcDateTime);
        var days = view.Days;
        var first = Array.FindIndex(days, d => d >= fromDay);
        if (first < 0) first = days.Length;
        if (request.StartStates)
        {
            // The state at the start: the newest file before (or of) that day, reaching back until
            // a file that restates every state at its midnight.
            var newest = Array.FindLastIndex(days, d => d <= fromDay);
            var oldest = newest;
            while (oldest > 0 && !BeginsWithDayBaseline(view, days[oldest])) oldest--;
            if (oldest >= 0) first = Math.Min(first, oldest);
        }

        for (var i = first; i < days.Length && days[i] <= toDay; i++) ReadDay(view, days[i], request, data);
        return data;
    }

    /// <summary>Reads the first 256 KiB (the first frame, with the baselines), the whole file only when that frame is longer.</summary>
    private bool BeginsWithDayBaseline(ReadView view, DateOnly day)
    {
        bool? begins = null;
        WithFile(view, day, (decoder, buffer, length) => (begins = decoder.BeginsWithDayBaseline(buffer, length)) is not null, 256 * 1024);
        if (begins is null) WithFile(view, day, (decoder, buffer, length) => (begins = decoder.BeginsWithDayBaseline(buffer, length)) is not null);
        return begins ?? false;
    }

    private void ReadDay(ReadView view, DateOnly day, HistoryRead request, HistoryData data) =>
        WithFile(view, day, (decoder, buffer, length) =>
        {
            decoder.Read(buffer, length, request, data);
            if (decoder.Problem is { } problem) _logger.LogError("History file {File}: {Problem}", DayLogFormat.FileName(day), problem);
            return true;
        });

    private delegate bool FileWork(DayLogDecoder decoder, ReadOnlySpan<byte> buffer, int length);

    private bool WithFile(ReadView view, DateOnly day, FileWork work, long prefix = long.MaxValue)
    {
        var name = DayLogFormat.FileName(day);
        // The writer's file is read up to what was committed; a failed append may have left more.
        var limit = Math.Min(prefix, view.Writer is { } w && w.Name == name ? w.Length : view.Repair is { } r && r.Name == name ? r.Length : long.MaxValue);
        int read;
        byte[] buffer;
        try
        {
            read = _files.Read(name, limit, out buffer);
        }
        catch (FileNotFoundException)
        {
            // Purged (or moved aside as damaged) after the view was taken: nothing left to read.
            return false;
        }

        try
        {
            var decoder = new DayLogDecoder(day);
            if (!DayLogFormat.IsHeader(buffer.AsSpan(0, read), day))
            {
                if (read > 0) _logger.LogError("History file {File} has no valid header; it is skipped", name);
                return false;
            }

            return work(decoder, buffer.AsSpan(0, read), read);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <inheritdoc />
    public string PurgeBefore(DateTimeOffset cutoff)
    {
        var cutoffDay = DateOnly.FromDateTime(cutoff.UtcDateTime);
        var old = _days.Where(d => d < cutoffDay && d != _writer?.Day).ToList();
        foreach (var day in old)
        {
            _files.Delete(DayLogFormat.FileName(day));
            _days.Remove(day);
        }

        if (old.Count == 0) return "";
        Publish();
        _files.SyncDirectory();
        return $"deleted {old.Count} day file(s), {old[0]:yyyy-MM-dd} to {old[^1]:yyyy-MM-dd}";
    }

    public void Dispose()
    {
        _writer?.Dispose();
        _writer = null;
    }

    /// <summary>What reads may see: the day files and how much of the open (or failed) one is committed.</summary>
    private sealed record ReadView(DateOnly[] Days, (string Name, long Length)? Writer, (string Name, long Length)? Repair)
    {
        public static readonly ReadView Empty = new([], null, null);
    }
}
