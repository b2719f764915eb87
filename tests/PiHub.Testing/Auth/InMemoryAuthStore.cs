using PiHub.Core;
using PiHub.Core.Auth.Storage;

namespace PiHub.Testing.Auth;

/// <summary>
/// An <see cref="IAuthStore"/> in memory, for tests: checks <see cref="AuthInvariants"/> before applying a
/// change set exactly as the real store must, records every commit, can be made read-only, and can be
/// told to fail the next commit.
/// </summary>
public sealed class InMemoryAuthStore : IAuthStore
{
    private readonly object _gate = new();
    private readonly List<AuthChangeSet> _commits = [];
    private AuthData _current;
    private string? _readOnlyReason;

    /// <summary>Creates an empty store, or one holding <paramref name="initial"/>.</summary>
    public InMemoryAuthStore(AuthData? initial = null) => _current = initial ?? AuthData.Empty;

    /// <inheritdoc/>
    public AuthData Current
    {
        get
        {
            lock (_gate) return _current;
        }
    }

    /// <inheritdoc/>
    public bool IsReadOnly
    {
        get
        {
            lock (_gate) return _readOnlyReason is not null;
        }
    }

    /// <inheritdoc/>
    public StoreRecoveryReport? Recovery { get; set; }

    /// <summary>When true, the next commit throws <see cref="AuthStoreError.WriteFailed"/> and changes nothing.</summary>
    public bool FailNextCommit { get; set; }

    /// <summary>Every committed change set, oldest first.</summary>
    public IReadOnlyList<AuthChangeSet> Commits
    {
        get
        {
            lock (_gate) return [.. _commits];
        }
    }

    /// <summary>How many change sets were committed.</summary>
    public int CommitCount
    {
        get
        {
            lock (_gate) return _commits.Count;
        }
    }

    /// <inheritdoc/>
    public Task<AuthData> CommitAsync(AuthChangeSet changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (_readOnlyReason is not null)
            {
                var message = $"the store is read-only: {_readOnlyReason}";
                throw new AuthStoreException(AuthStoreError.ReadOnly, message,
                    new StoreRefusedException("auth", StoreRefusalCodes.ReadOnly, message));
            }

            if (FailNextCommit)
            {
                FailNextCommit = false;
                throw new AuthStoreException(AuthStoreError.WriteFailed, "simulated write failure");
            }

            var next = _current.Apply(changes);
            var problems = AuthInvariants.Check(next);
            if (problems.Count > 0)
            {
                throw new AuthStoreException(AuthStoreError.InvariantViolated, string.Join("; ", problems));
            }

            _current = next;
            _commits.Add(changes);
            return Task.FromResult(next);
        }
    }

    /// <inheritdoc/>
    public Task CheckpointAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <inheritdoc/>
    public void EnterReadOnly(string reason)
    {
        lock (_gate) _readOnlyReason = reason;
    }

    /// <inheritdoc/>
    public void LeaveReadOnly()
    {
        lock (_gate) _readOnlyReason = null;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
    }
}
