namespace PiHub.Core.Recorder;

/// <summary>The <c>recorder:</c> section: how long history is kept, how often it is written, and what is left out.</summary>
public sealed record RecorderOptions
{
    /// <summary>Home Assistant's default.</summary>
    public const int DefaultPurgeKeepDays = 10;

    /// <summary>Seconds between commits: changes wait in memory this long, so the SD card sees one write per interval.</summary>
    public const int DefaultCommitIntervalSeconds = 5;

    /// <summary>False turns history off: nothing is written, history and logbook answer empty lists.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Whole days of history kept; older days are deleted by the daily purge.</summary>
    public int PurgeKeepDays { get; init; } = DefaultPurgeKeepDays;

    public TimeSpan CommitInterval { get; init; } = TimeSpan.FromSeconds(DefaultCommitIntervalSeconds);

    /// <summary>Which entities and events are recorded.</summary>
    public RecorderFilter Filter { get; init; } = RecorderFilter.All;

    /// <summary>
    /// Changes held in memory at most while the store cannot be written (a full disk); beyond
    /// this the oldest are dropped and counted, so a failing card never grows the hub's memory.
    /// </summary>
    public int MaxPending { get; init; } = 20_000;
}
