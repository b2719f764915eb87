namespace PiHub.Storage;

/// <summary>Where and how the auth store keeps its files.</summary>
public sealed class AuthStoreOptions
{
    /// <summary>Dev default; the Pi uses <see cref="SystemDirectory"/>.</summary>
    public const string DevDirectory = "./.pihub";

    /// <summary>The directory on the Pi.</summary>
    public const string SystemDirectory = "/var/lib/pihub";

    /// <summary>Folder holding <see cref="FileName"/>, its log, lock, snapshots and the recovery code.</summary>
    public string Directory { get; set; } = DevDirectory;

    /// <summary>The data file; LiteDB's log sits beside it as <c>auth-log.db</c>.</summary>
    public string FileName { get; set; } = "auth.db";

    /// <summary>Flush every commit to the medium before acknowledging it. False only to measure what that costs.</summary>
    public bool Durable { get; set; } = true;

    /// <summary>How many of the newest snapshots are kept.</summary>
    public int SnapshotCount { get; set; } = 10;

    /// <summary>Besides the newest ones, the newest snapshot of each of this many days is kept.</summary>
    public int SnapshotDays { get; set; } = 7;

    /// <summary>Snapshots after commits are coalesced: at most one per this interval.</summary>
    public TimeSpan SnapshotMinInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The log is checkpointed into the data file once the store has been idle this long.</summary>
    public TimeSpan CheckpointIdleDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The log is checkpointed straight after a commit once it is this many bytes: a small log
    /// keeps start-up fast and limits how much an SD card rewrites at once.
    /// </summary>
    public long CheckpointLogBytes { get; set; } = 256 * 1024;

    /// <summary>
    /// Tests only: wraps the live store's data and log file streams (the bool is true for the
    /// log), e.g. to make the disk fail the way a full or dying SD card does.
    /// </summary>
    internal Func<Stream, bool, Stream>? StreamWrapper { get; set; }

    /// <summary>
    /// Told how long each successful commit took on the writer (validate, write, flush), e.g. for the hub's metrics.
    /// Runs on the writer thread: keep it short and never throw.
    /// </summary>
    public Action<TimeSpan>? CommitTimed { get; set; }

    /// <summary>
    /// Consulted before every commit: while it is paused (power failing) commits are refused with
    /// <see cref="PiHub.Core.Auth.Storage.AuthStoreError.PowerFailing"/>. Null: never paused.
    /// </summary>
    public PiHub.Core.Power.WriteGate? WriteGate { get; set; }

    /// <summary>Turns snapshots and idle checkpoints off (tests that drive them by hand).</summary>
    public bool BackgroundMaintenance { get; set; } = true;
}
