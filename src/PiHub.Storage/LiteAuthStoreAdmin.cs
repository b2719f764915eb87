using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using PiHub.Core.Admin;
using PiHub.Core.Auth.Storage;
using PiHub.Storage.Auth;

namespace PiHub.Storage;

/// <summary>
/// What <c>pihub-cli</c> needs from a <see cref="LiteAuthStore"/> beyond commits: snapshots, backups, the
/// start-up check, onboarding codes. Owns which files it reports (a private copy reports the real store's)
/// and reads the store only through <see cref="LiteAuthStore.Current"/> and its writer thread.
/// </summary>
public sealed class LiteAuthStoreAdmin : IAuthStoreAdmin
{
    private readonly LiteAuthStore _store;
    private readonly StoreFiles _files;
    private readonly AuthStoreOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SnapshotManager _snapshots;
    private readonly AuthStoreMaintenance _maintenance;

    // A read-only copy (see OpenCopy) reports the real store's paths, not its own.
    private StoreFiles? _shownFiles;

    internal LiteAuthStoreAdmin(LiteAuthStore store, StoreFiles files, AuthStoreOptions options, ILogger logger, TimeProvider time,
        SnapshotManager snapshots, AuthStoreMaintenance maintenance)
    {
        _store = store;
        _files = files;
        _options = options;
        _logger = logger;
        _time = time;
        _snapshots = snapshots;
        _maintenance = maintenance;
    }

    private StoreFiles Shown => _shownFiles ?? _files;

    /// <inheritdoc />
    public bool IsPrivateCopy => _shownFiles is not null;

    /// <inheritdoc />
    public string StoreDirectory => Shown.Directory;

    /// <inheritdoc />
    public string DataFile => Shown.Data;

    /// <inheritdoc />
    public string SnapshotDirectory => Shown.Snapshots;

    /// <summary>
    /// Opens a private copy of the store in <paramref name="options"/>' folder, taken under the store's lock so
    /// no writer is half-way, and recovered (if need be) only in the copy: what <c>pihub-cli</c> reads while the
    /// service is stopped, without changing the real files. Disposing the result deletes the copy.
    /// </summary>
    public static StoreCopy OpenCopy(AuthStoreOptions options, ILogger logger, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        var files = new StoreFiles(options.Directory, options.FileName);
        var copyDir = Path.Combine(files.Directory, ".cli-copy-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)));
        try
        {
            using (StoreLock.Acquire(files.Lock))
            {
                StoreCheck.CopyFiles(files, copyDir);
            }

            var store = LiteAuthStore.Open(new AuthStoreOptions
            {
                Directory = copyDir,
                FileName = options.FileName,
                Durable = false,
                SnapshotCount = int.MaxValue,
                BackgroundMaintenance = false,
            }, logger, time);
            store.Admin._shownFiles = files;
            return new StoreCopy(store, copyDir, logger);
        }
        catch
        {
            StoreCheck.Delete(copyDir, logger);
            throw;
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<SnapshotSummary> ListSnapshots() =>
        [.. _snapshots.List().Select(s => Summary(s, SizeOf(s.Path)))];

    /// <inheritdoc />
    public async Task<SnapshotSummary> TakeSnapshotAsync(CancellationToken cancellationToken = default)
    {
        _store.ThrowIfDisposed();
        var data = _store.Current;
        var info = await Task.Run(() => _maintenance.TakeSnapshot(data), cancellationToken).ConfigureAwait(false);
        return Summary(info, SizeOf(info.Path));
    }

    /// <inheritdoc />
    public AuthData ReadSnapshot(string name)
    {
        if (name.Contains('/', StringComparison.Ordinal) || !SnapshotInfo.TryParse(name, out _))
        {
            throw new AdminException(AdminFailure.Usage, AdminException.InvalidRequestCode,
                $"\"{name}\" is not a snapshot name; copy one from `pihub-cli db snapshots` (auth-g…-….db), or give a backup file's path.");
        }

        var path = Path.Combine(_files.Snapshots, name);
        if (!File.Exists(path))
        {
            throw new AdminException(AdminFailure.Failed, "not_found",
                $"There is no snapshot {name} in {SnapshotDirectory}; list them with `pihub-cli db snapshots`.");
        }

        return LoadVerified(path, $"Snapshot {name}");
    }

    /// <inheritdoc />
    public AuthData ReadBackup(byte[] content, string name)
    {
        ArgumentNullException.ThrowIfNull(content);
        var temp = Path.Combine(_files.Directory, ".restore-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)) + ".db");
        try
        {
            File.WriteAllBytes(temp, content);
            return LoadVerified(temp, $"The backup {name}");
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <inheritdoc />
    public async Task<byte[]> BackupAsync(CancellationToken cancellationToken = default)
    {
        _store.ThrowIfDisposed();
        var data = _store.Current;
        var temp = Path.Combine(_files.Directory, ".backup-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)) + ".db");
        try
        {
            // Built like a snapshot: written, read back and verified before anyone sees it.
            await Task.Run(() => AuthFileBuilder.Build(temp, data, _time.GetUtcNow(), $"backup of generation {data.Generation}", durable: false), cancellationToken)
                .ConfigureAwait(false);
            return await File.ReadAllBytesAsync(temp, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <inheritdoc />
    public async Task<StoreCheckReport> CheckAsync(CancellationToken cancellationToken = default)
    {
        _store.ThrowIfDisposed();
        var copyDir = Path.Combine(Shown.Directory, ".check-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)));
        try
        {
            if (_shownFiles is { } real)
            {
                // A private copy was opened (and maybe recovered) already: check the real files as they are,
                // under their lock, not what opening the copy made of them.
                using (StoreLock.Acquire(real.Lock)) StoreCheck.CopyFiles(real, copyDir);
            }
            else
            {
                // On the writer thread, after a checkpoint: no commit is half-way while the files are copied.
                await _store.AfterCheckpointAsync(() => StoreCheck.CopyFiles(_files, copyDir)).ConfigureAwait(false);
            }

            return await Task.Run(() => StoreCheck.Run(copyDir, _options, _time, DataFile), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            StoreCheck.Delete(copyDir, _logger);
        }
    }

    /// <inheritdoc />
    public (string Code, string Hash) NewRecoveryCode()
    {
        var code = RecoveryCode.Create();
        return (code, RecoveryCode.Hash(code));
    }

    /// <inheritdoc />
    public string WriteRecoveryCodeFile(string code)
    {
        RecoveryCode.WriteFile(_files.RecoveryCode, code);
        return Shown.RecoveryCode;
    }

    internal static SnapshotSummary Summary(SnapshotInfo info, long bytes) =>
        new(Path.GetFileName(info.Path), info.Generation, info.TakenAt, bytes);

    private static long SizeOf(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;

    private static AuthData LoadVerified(string path, string what)
    {
        try
        {
            return AuthFileBuilder.Load(path, out _);
        }
        catch (Exception ex) when (ex is not AdminException)
        {
            // Whatever LiteDB throws, the file cannot be restored from.
            throw new AdminException(AdminFailure.Failed, "invalid_backup",
                string.Create(CultureInfo.InvariantCulture, $"{what} is not a valid PiHub auth store ({ex.Message}); pick another from `pihub-cli db snapshots`."), ex);
        }
    }
}
