using Microsoft.Extensions.Logging;
using PiHub.Core.Auth.Storage;
using PiHub.Storage.Auth;

namespace PiHub.Storage;

/// <summary>
/// The auth store on LiteDB: one file, one transaction per change, durable before the commit
/// is acknowledged, verified on every start-up, recovered from snapshots when damaged. Every
/// database call runs on one writer thread; readers use the immutable <see cref="Current"/>.
/// </summary>
public sealed partial class LiteAuthStore : IAuthStore
{
    private readonly StoreFiles _files;
    private readonly AuthStoreOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly StoreLock _lock;
    private readonly WriterThread _writer;
    private readonly SnapshotManager _snapshots;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _maintenance;
    private AuthDatabase? _db;
    private AuthData _current;
    private volatile string? _readOnlyReason;
    private long _lastSnapshotGeneration;
    private DateTimeOffset _lastCommitAt;
    private int _disposed;

    private LiteAuthStore(StoreFiles files, AuthStoreOptions options, ILogger logger, TimeProvider time,
        StoreLock storeLock, SnapshotManager snapshots, WriterThread writer,
        (AuthDatabase Db, AuthData Data, StoreRecoveryReport? Report) opened)
    {
        _files = files;
        _options = options;
        _logger = logger;
        _time = time;
        _lock = storeLock;
        _snapshots = snapshots;
        _writer = writer;
        (_db, _current, Recovery) = opened;
        _lastSnapshotGeneration = snapshots.List().FirstOrDefault()?.Generation ?? -1;
        _lastCommitAt = time.GetUtcNow();
        _maintenance = options.BackgroundMaintenance ? Task.Run(() => MaintainAsync(_stop.Token)) : Task.CompletedTask;
    }

    /// <summary>
    /// Takes the store's lock, then opens, validates and (if needed) recovers the store in
    /// <see cref="AuthStoreOptions.Directory"/>. Throws <see cref="AuthStoreException"/> with
    /// <see cref="AuthStoreError.Locked"/> when another process holds it, or
    /// <see cref="AuthStoreError.Unrecoverable"/> when not even a fresh file can be written.
    /// </summary>
    public static LiteAuthStore Open(AuthStoreOptions options, ILogger logger, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        var files = new StoreFiles(options.Directory, options.FileName);
        System.IO.Directory.CreateDirectory(files.Directory);
        var storeLock = StoreLock.Acquire(files.Lock);
        var writer = new WriterThread("pihub-auth-store");
        try
        {
            var snapshots = new SnapshotManager(files, options, logger);
            var opener = new StoreOpener(files, options, logger, time, snapshots);
            // Opened on the writer thread: LiteDB is used from that thread only, from the first call on.
            var opened = writer.RunAsync(opener.Open).GetAwaiter().GetResult();
            return new LiteAuthStore(files, options, logger, time, storeLock, snapshots, writer, opened);
        }
        catch (Exception ex)
        {
            writer.Dispose();
            storeLock.Dispose();
            if (ex is AuthStoreException) throw;
            throw new AuthStoreException(AuthStoreError.Unrecoverable,
                $"The auth store in {files.Directory} could not be opened or recovered ({ex.Message}). " +
                "Check that the folder is writable and the disk is not full, then restart the service; damaged files are kept beside it.", ex);
        }
    }

    /// <inheritdoc />
    public AuthData Current => Volatile.Read(ref _current);

    /// <inheritdoc />
    public bool IsReadOnly => _readOnlyReason is not null || _options.WriteGate?.IsPaused == true;

    /// <inheritdoc />
    public StoreRecoveryReport? Recovery { get; }

    /// <summary>The folder the store lives in (absolute).</summary>
    public string Directory => _files.Directory;

    /// <inheritdoc />
    public void EnterReadOnly(string reason)
    {
        _readOnlyReason = string.IsNullOrWhiteSpace(reason) ? "the store was set read-only" : reason;
        _logger.LogWarning("Auth store is read-only: {Reason}", _readOnlyReason);
    }

    /// <inheritdoc />
    public void LeaveReadOnly()
    {
        _readOnlyReason = null;
        _logger.LogInformation("Auth store accepts writes again");
    }

    /// <inheritdoc />
    public Task CheckpointAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        return _writer.RunAsync(() => _db?.Checkpoint() ?? 0);
    }

    /// <summary>Writes a verified snapshot of <see cref="Current"/> now (tests, shutdown, before risky work).</summary>
    public Task SnapshotAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        return Task.Run(() => TakeSnapshot(Current), cancellationToken);
    }

    /// <summary>Waits for queued commits, checkpoints, takes a last snapshot if anything changed, and releases the lock.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _stop.Cancel();
        try
        {
            _maintenance.Wait();
        }
        catch (AggregateException)
        {
            // Cancellation of the maintenance loop.
        }

        if (_options.BackgroundMaintenance && Current.Generation != Interlocked.Read(ref _lastSnapshotGeneration))
        {
            TryTakeSnapshot(Current);
        }

        _writer.RunAsync(() =>
        {
            try
            {
                _db?.Checkpoint();
            }
            catch (Exception ex)
            {
                // Every commit is already durable in the log; a checkpoint is an optimisation.
                _logger.LogWarning("Auth store checkpoint on close failed: {Error}", ex.Message);
            }

            _db?.Dispose();
            _db = null;
            return 0;
        }).Wait();
        _writer.Dispose();
        _lock.Dispose();
        _stop.Dispose();
    }
}
