using PiHub.Core.Admin;
using PiHub.Core.Auth.Storage;

namespace PiHub.Server.Tests.Infrastructure;

/// <summary>
/// The application's own auth store with one fault added: when <see cref="FailNextCommit"/> is set, the next
/// commit fails as a full or failing disk would (<see cref="AuthStoreError.WriteFailed"/>) and changes nothing.
/// Installed with <see cref="TestHub.DecorateSingleton{T}"/>. Administration (the admin socket) goes to the
/// real store unchanged.
/// </summary>
internal sealed class FailingAuthStore(IAuthStore inner) : IAuthStore, IAuthStoreAdmin
{
    private readonly IAuthStoreAdmin _admin = (IAuthStoreAdmin)inner;

    private int _failNext;

    /// <summary>Makes the next commit fail (once).</summary>
    public bool FailNextCommit
    {
        get => Volatile.Read(ref _failNext) == 1;
        set => Volatile.Write(ref _failNext, value ? 1 : 0);
    }

    public AuthData Current => inner.Current;

    public bool IsReadOnly => inner.IsReadOnly;

    public StoreRecoveryReport? Recovery => inner.Recovery;

    public Task<AuthData> CommitAsync(AuthChangeSet changes, CancellationToken cancellationToken = default) =>
        Interlocked.Exchange(ref _failNext, 0) == 1
            ? Task.FromException<AuthData>(new AuthStoreException(AuthStoreError.WriteFailed, "simulated write failure"))
            : inner.CommitAsync(changes, cancellationToken);

    public Task CheckpointAsync(CancellationToken cancellationToken = default) => inner.CheckpointAsync(cancellationToken);

    public void EnterReadOnly(string reason) => inner.EnterReadOnly(reason);

    public void LeaveReadOnly() => inner.LeaveReadOnly();

    public void Dispose() => inner.Dispose();

    public string StoreDirectory => _admin.StoreDirectory;

    public string DataFile => _admin.DataFile;

    public string SnapshotDirectory => _admin.SnapshotDirectory;

    public bool IsPrivateCopy => _admin.IsPrivateCopy;

    public IReadOnlyList<SnapshotSummary> ListSnapshots() => _admin.ListSnapshots();

    public Task<SnapshotSummary> TakeSnapshotAsync(CancellationToken cancellationToken = default) => _admin.TakeSnapshotAsync(cancellationToken);

    public AuthData ReadSnapshot(string name) => _admin.ReadSnapshot(name);

    public AuthData ReadBackup(byte[] content, string name) => _admin.ReadBackup(content, name);

    public Task<byte[]> BackupAsync(CancellationToken cancellationToken = default) => _admin.BackupAsync(cancellationToken);

    public Task<StoreCheckReport> CheckAsync(CancellationToken cancellationToken = default) => _admin.CheckAsync(cancellationToken);

    public (string Code, string Hash) NewRecoveryCode() => _admin.NewRecoveryCode();

    public string WriteRecoveryCodeFile(string code) => _admin.WriteRecoveryCodeFile(code);
}
