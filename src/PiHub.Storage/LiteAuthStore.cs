using Microsoft.Extensions.Logging;
using PiHub.Core.Admin;
using PiHub.Core.Auth.Storage;
using PiHub.Storage.Auth;

namespace PiHub.Storage;

/// <summary>
/// The auth store on LiteDB: one file, one transaction per change, durable before the commit
/// is acknowledged, verified on every start-up, recovered from snapshots when damaged. Every
/// database call runs on one writer thread; readers use the immutable <see cref="Current"/>.
/// Owns the open file and the committed data; snapshots and idle checkpoints are
/// <see cref="AuthStoreMaintenance"/>'s, administration is <see cref="Admin"/>'s.
/// </summary>
public sealed partial class LiteAuthStore : IAuthStore, IAuthStoreAdmin, IMaintainedStore
{
    private readonly StoreFiles _files;
    private readonly AuthStoreOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly StoreLock _lock;
    private readonly WriterThread _writer;
    private readonly AuthStoreMaintenance _maintenance;
    private AuthDatabase? _db;
    private AuthData _current;
    private volatile string? _readOnlyReason;
    private long _lastCommitAtTicks;
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
        _writer = writer;
        (_db, _current, Recovery) = opened;
        LastCommitAt = time.GetUtcNow();
        _maintenance = new AuthStoreMaintenance(snapshots, options, logger, time, this);
        Admin = new LiteAuthStoreAdmin(this, files, options, logger, time, snapshots, _maintenance);
        _maintenance.Start();
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
            var opened = writer.Invoke(opener.Open);
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

    /// <summary>Snapshots, backups, the start-up check and onboarding codes, for <c>pihub-cli</c>.</summary>
    public LiteAuthStoreAdmin Admin { get; }

    /// <summary>Opens a private copy of the store: see <see cref="LiteAuthStoreAdmin.OpenCopy"/>.</summary>
    public static StoreCopy OpenCopy(AuthStoreOptions options, ILogger logger, TimeProvider time) =>
        LiteAuthStoreAdmin.OpenCopy(options, logger, time);

    /// <inheritdoc />
    public DateTimeOffset LastCommitAt
    {
        get => new(Interlocked.Read(ref _lastCommitAtTicks), TimeSpan.Zero);
        private set => Interlocked.Exchange(ref _lastCommitAtTicks, value.UtcTicks);
    }

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
        return Task.Run(() => _maintenance.TakeSnapshot(Current), cancellationToken);
    }

    /// <inheritdoc />
    Task IMaintainedStore.CheckpointIfLoggedAsync(string why) => _writer.RunAsync(() =>
    {
        if (_db is { LogLength: > 0 }) TryCheckpointOnWriter(why);
        return 0;
    });

    /// <summary>Runs <paramref name="work"/> on the writer thread right after a checkpoint: no commit is half-way meanwhile.</summary>
    internal Task AfterCheckpointAsync(Action work) => _writer.RunAsync(() =>
    {
        _db?.Checkpoint();
        work();
        return 0;
    });

    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed != 0, this);

    /// <summary>Waits for queued commits, checkpoints, takes a last snapshot if anything changed, and releases the lock.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _maintenance.Stop();

        _writer.Invoke(() =>
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
        });
        _writer.Dispose();
        _lock.Dispose();
    }

    // IAuthStoreAdmin stays on the store so callers holding an IAuthStore (the admin socket, metrics)
    // find the admin side as before; the work is all in Admin.
    string IAuthStoreAdmin.StoreDirectory => Admin.StoreDirectory;
    string IAuthStoreAdmin.DataFile => Admin.DataFile;
    string IAuthStoreAdmin.SnapshotDirectory => Admin.SnapshotDirectory;
    bool IAuthStoreAdmin.IsPrivateCopy => Admin.IsPrivateCopy;
    IReadOnlyList<SnapshotSummary> IAuthStoreAdmin.ListSnapshots() => Admin.ListSnapshots();
    Task<SnapshotSummary> IAuthStoreAdmin.TakeSnapshotAsync(CancellationToken cancellationToken) => Admin.TakeSnapshotAsync(cancellationToken);
    AuthData IAuthStoreAdmin.ReadSnapshot(string name) => Admin.ReadSnapshot(name);
    AuthData IAuthStoreAdmin.ReadBackup(byte[] content, string name) => Admin.ReadBackup(content, name);
    Task<byte[]> IAuthStoreAdmin.BackupAsync(CancellationToken cancellationToken) => Admin.BackupAsync(cancellationToken);
    Task<StoreCheckReport> IAuthStoreAdmin.CheckAsync(CancellationToken cancellationToken) => Admin.CheckAsync(cancellationToken);
    (string Code, string Hash) IAuthStoreAdmin.NewRecoveryCode() => Admin.NewRecoveryCode();
    string IAuthStoreAdmin.WriteRecoveryCodeFile(string code) => Admin.WriteRecoveryCodeFile(code);
}
