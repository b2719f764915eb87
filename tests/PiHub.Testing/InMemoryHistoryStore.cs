using PiHub.Core.Recorder;

namespace PiHub.Testing;

/// <summary>An <see cref="IHistoryStore"/> in memory, for recorder tests; can be told to fail writes.</summary>
public sealed class InMemoryHistoryStore : IHistoryStore
{
    private readonly List<Recorded> _all = [];

    /// <summary>When set, every append throws this (a full disk, say).</summary>
    public Exception? FailWritesWith { get; set; }

    /// <summary>Every successful append, in order.</summary>
    public List<IReadOnlyList<Recorded>> Commits { get; } = [];

    /// <summary>Cut-offs the recorder purged with.</summary>
    public List<DateTimeOffset> Purges { get; } = [];

    public string Name => "memory";

    public string? StartupReport { get; set; }

    public long SizeBytes => 0;

    public bool Disposed { get; private set; }

    public void Append(IReadOnlyList<Recorded> batch)
    {
        if (FailWritesWith is not null) throw FailWritesWith;
        lock (_all)
        {
            Commits.Add([.. batch]);
            _all.AddRange(batch);
        }
    }

    public HistoryData Read(HistoryRead request)
    {
        var data = new HistoryData();
        lock (_all)
        {
            foreach (var item in _all) HistoryRecorder.Merge(data, request, item);
        }

        return data;
    }

    public Func<HistoryRead, HistoryData> CaptureReader()
    {
        List<Recorded> captured;
        lock (_all) captured = [.. _all];
        return request =>
        {
            var data = new HistoryData();
            foreach (var item in captured) HistoryRecorder.Merge(data, request, item);
            return data;
        };
    }

    public string PurgeBefore(DateTimeOffset cutoff)
    {
        lock (_all)
        {
            Purges.Add(cutoff);
            return $"removed {_all.RemoveAll(r => r.Time < cutoff)}";
        }
    }

    public void Dispose() => Disposed = true;
}
