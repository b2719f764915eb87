namespace PiHub.Core.Recorder;

/// <summary>
/// Where the recorder keeps history: a store file (or folder) of its own, never the auth store,
/// so a history failure can never touch auth state. Called by one recorder at a time, never
/// concurrently (the recorder serializes appends, reads and purges).
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

    /// <summary>Deletes what is older than <paramref name="cutoff"/> (a store may keep up to a day more); returns what it removed, for the log.</summary>
    string PurgeBefore(DateTimeOffset cutoff);
}
