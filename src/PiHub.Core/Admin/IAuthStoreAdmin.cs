using PiHub.Core.Auth.Storage;

namespace PiHub.Core.Admin;

/// <summary>
/// What administration needs from the auth store beyond <see cref="IAuthStore"/>: its files, snapshots,
/// verified backups, the start-up check and the one-time onboarding code. Implemented by the LiteDB store.
/// </summary>
public interface IAuthStoreAdmin
{
    /// <summary>The folder holding the store, its snapshots and the recovery-code file (absolute).</summary>
    string StoreDirectory { get; }

    /// <summary>The store's data file (absolute).</summary>
    string DataFile { get; }

    /// <summary>The snapshots folder (absolute).</summary>
    string SnapshotDirectory { get; }

    /// <summary>
    /// True for a private copy opened to read a stopped hub's store: its <see cref="IAuthStore.Recovery"/> is what
    /// the next start-up will do to the real files, which are still as they were.
    /// </summary>
    bool IsPrivateCopy { get; }

    /// <summary>Every snapshot, newest generation first (not verified: see <see cref="CheckAsync"/>).</summary>
    IReadOnlyList<SnapshotSummary> ListSnapshots();

    /// <summary>Writes a verified snapshot of the current data now.</summary>
    Task<SnapshotSummary> TakeSnapshotAsync(CancellationToken cancellationToken = default);

    /// <summary>Loads and verifies a snapshot by its file name; throws <see cref="AdminException"/> when unknown or damaged.</summary>
    AuthData ReadSnapshot(string name);

    /// <summary>Loads and verifies a backup file's content; throws <see cref="AdminException"/> when it is not a valid store.</summary>
    AuthData ReadBackup(byte[] content, string name);

    /// <summary>A verified, self-contained copy of the current data as a store file.</summary>
    Task<byte[]> BackupAsync(CancellationToken cancellationToken = default);

    /// <summary>Runs start-up's checks on a consistent copy of the files, changing nothing.</summary>
    Task<StoreCheckReport> CheckAsync(CancellationToken cancellationToken = default);

    /// <summary>A new one-time onboarding code and the hash the onboarding state stores.</summary>
    (string Code, string Hash) NewRecoveryCode();

    /// <summary>Writes the code to the root-only recovery-code file beside the store; returns its path.</summary>
    string WriteRecoveryCodeFile(string code);
}
