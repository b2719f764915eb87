namespace PiHub.Core.Recorder;

/// <summary>
/// Where the recorder keeps history: a store file (or folder) of its own, never the auth store,
/// so a history failure can never touch auth state. Appends and purges come from one recorder,
/// never concurrently; a reader from <see cref="CaptureReader"/> may run beside them.
/// </summary>
public interface IHistoryStore : IDisposable
{
    /// <summary>A short name for logs and benchmarks ("day log", "LiteDB").</summary>
    string Name { get; }

    /// <summary>What opening the store had to repair or move aside; null when it opened cleanly.</summary>
    string? StartupReport { get; }

    /// <summary>Bytes the store occupies on disk.</summary>
    long SizeBytes { get; }

    /// <summary>
    /// Writes one batch, in order, as one commit: on the medium when this returns. A power cut
    /// during the call leaves either the whole batch or none of it. Throws on write failure;
    /// the store stays usable (the next append first repairs what a failed one left).
    /// </summary>
    void Append(IReadOnlyList<Recorded> batch);

    /// <summary>Reads what <paramref name="request"/> asks for.</summary>
    HistoryData Read(HistoryRead request);

    /// <summary>
    /// Captures what is committed now without touching the medium (names and lengths only) and returns a
    /// reader over that capture. The reader may run on any thread while <see cref="Append"/> and
    /// <see cref="PurgeBefore"/> go on: it sees exactly the commits before the capture (a file purged
    /// meanwhile reads as empty). The recorder captures under its store gate and reads outside it, so a
    /// long read never delays a commit or the power-fail flush.
    /// </summary>
    Func<HistoryRead, HistoryData> CaptureReader();

    /// <summary>Deletes what is older than <paramref name="cutoff"/> (a store may keep up to a day more); returns what it removed, for the log.</summary>
    string PurgeBefore(DateTimeOffset cutoff);
}
