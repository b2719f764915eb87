using PiHub.Core.Auth.Storage;

namespace PiHub.Testing;

/// <summary>
/// An <see cref="IAuthStore"/> in memory with the real store's rules: invariants checked before a
/// commit, read-only refused, and a switch to make the next commit fail like a full disk.
/// </summary>
public sealed class InMemoryAuthStore : IAuthStore
{
    private readonly object _gate = new();
    private string? _readOnlyReason;

    public InMemoryAuthStore(AuthData? initial = null) => Current = initial ?? AuthData.Empty;

    public AuthData Current { get; private set; }

    public bool IsReadOnly => _readOnlyReason is not null;

    public StoreRecoveryReport? Recovery { get; set; }

    /// <summary>When set, the next commit throws this store error and changes nothing.</summary>
    public Exception? FailNextCommit { get; set; }

    public int Commits { get; private set; }

    public List<AuthChangeSet> Committed { get; } = [];

    public Task<AuthData> CommitAsync(AuthChangeSet changes, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_readOnlyReason is not null) throw new AuthStoreException(AuthStoreError.ReadOnly, _readOnlyReason);
            if (FailNextCommit is { } failure)
            {
                FailNextCommit = null;
                throw new AuthStoreException(AuthStoreError.WriteFailed, "The disk refused the write. Nothing was changed.", failure);
            }

            var next = Current.Apply(changes);
            var problems = AuthInvariants.Check(next);
            if (problems.Count > 0) throw new AuthStoreException(AuthStoreError.InvariantViolated, string.Join("; ", problems));
            Current = next;
            Commits++;
            Committed.Add(changes);
            return Task.FromResult(next);
        }
    }

    public Task CheckpointAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public void EnterReadOnly(string reason) => _readOnlyReason = reason;

    public void LeaveReadOnly() => _readOnlyReason = null;

    public void Dispose()
    {
    }
}
