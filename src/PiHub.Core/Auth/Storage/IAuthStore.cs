namespace PiHub.Core.Auth.Storage;

/// <summary>
/// The one place auth state is persisted. Every change is one transaction that is durable
/// on the medium before <see cref="CommitAsync"/> completes; on failure nothing changes.
/// </summary>
public interface IAuthStore : IDisposable
{
    /// <summary>The validated data of the last committed generation.</summary>
    AuthData Current { get; }

    /// <summary>True while writes are refused (power failing, or a deliberate read-only mode).</summary>
    bool IsReadOnly { get; }

    /// <summary>What start-up had to do to open the store; null when it opened cleanly.</summary>
    StoreRecoveryReport? Recovery { get; }

    /// <summary>
    /// Validates, writes and flushes the change set as one transaction, then publishes the new
    /// <see cref="Current"/>. Throws <see cref="AuthStoreException"/> and leaves
    /// <see cref="Current"/> untouched when the change breaks an invariant or cannot be written.
    /// </summary>
    Task<AuthData> CommitAsync(AuthChangeSet changes, CancellationToken cancellationToken = default);

    /// <summary>Moves the log into the data file and flushes it (idle time, shutdown, power fail).</summary>
    Task CheckpointAsync(CancellationToken cancellationToken = default);

    /// <summary>Refuse further writes until <see cref="LeaveReadOnly"/>; the reason is shown to writers.</summary>
    void EnterReadOnly(string reason);

    void LeaveReadOnly();
}
