using PiHub.Core.Auth.Storage;

namespace PiHub.Server.Tests.Infrastructure;

/// <summary>
/// The application's own auth store with one fault added: when <see cref="FailNextCommit"/> is set, the next
/// commit fails as a full or failing disk would (<see cref="AuthStoreError.WriteFailed"/>) and changes nothing.
/// Installed with <see cref="TestHub.DecorateSingleton{T}"/>.
/// </summary>
internal sealed class FailingAuthStore(IAuthStore inner) : IAuthStore
{
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
}
