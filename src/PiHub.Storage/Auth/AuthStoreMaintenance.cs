using Microsoft.Extensions.Logging;
using PiHub.Core.Auth.Storage;

namespace PiHub.Storage.Auth;

/// <summary>
/// The auth store's background work, off the commit path: a coalesced snapshot after changes (at
/// most one per <see cref="AuthStoreOptions.SnapshotMinInterval"/>) and a checkpoint once the store
/// is idle. Owns which generation was snapshotted last and the loop that does it.
/// </summary>
internal sealed class AuthStoreMaintenance
{
    private readonly SnapshotManager _snapshots;
    private readonly AuthStoreOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly IMaintainedStore _store;
    private readonly CancellationTokenSource _stop = new();
    private readonly ManualResetEventSlim _stopped = new(initialState: true);
    private long _lastSnapshotGeneration;

    public AuthStoreMaintenance(SnapshotManager snapshots, AuthStoreOptions options, ILogger logger, TimeProvider time, IMaintainedStore store)
    {
        _snapshots = snapshots;
        _options = options;
        _logger = logger;
        _time = time;
        _store = store;
        _lastSnapshotGeneration = snapshots.List().FirstOrDefault()?.Generation ?? -1;
    }

    /// <summary>True when <see cref="IMaintainedStore.Current"/> has changed since the last snapshot.</summary>
    public bool HasUnsnapshottedChanges => _store.Current.Generation != Interlocked.Read(ref _lastSnapshotGeneration);

    /// <summary>Starts the loop when <see cref="AuthStoreOptions.BackgroundMaintenance"/> is on.</summary>
    public void Start()
    {
        if (!_options.BackgroundMaintenance) return;
        _stopped.Reset();
        _ = Task.Run(() => MaintainAsync(_stop.Token));
    }

    /// <summary>Stops the loop, waits for a pass under way to end, and takes a last snapshot if anything changed.</summary>
    public void Stop()
    {
        _stop.Cancel();
        // Waits on the loop's own signal: a pass may be writing a snapshot file right now.
        _stopped.Wait();
        if (_options.BackgroundMaintenance && HasUnsnapshottedChanges) TryTakeSnapshot(_store.Current);
        _stop.Dispose();
        _stopped.Dispose();
    }

    /// <summary>Writes a verified snapshot of <paramref name="data"/> now and remembers its generation.</summary>
    public SnapshotInfo TakeSnapshot(AuthData data)
    {
        var info = _snapshots.Take(data, _time.GetUtcNow());
        Interlocked.Exchange(ref _lastSnapshotGeneration, data.Generation);
        return info;
    }

    private async Task MaintainAsync(CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(_options.SnapshotMinInterval, _time, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                // While power is failing the medium may lose power any moment: no snapshot files now.
                if (_options.WriteGate?.IsPaused == true) continue;
                var current = _store.Current;
                if (current.Generation != Interlocked.Read(ref _lastSnapshotGeneration)) TryTakeSnapshot(current);
                if (_time.GetUtcNow() - _store.LastCommitAt >= _options.CheckpointIdleDelay)
                {
                    await _store.CheckpointIfLoggedAsync("the store is idle").ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _stopped.Set();
        }
    }

    private void TryTakeSnapshot(AuthData data)
    {
        try
        {
            TakeSnapshot(data);
        }
        catch (Exception ex)
        {
            // Snapshots are a safety net beside the durable store, not part of any commit.
            _logger.LogError("Auth store snapshot of generation {Generation} failed: {Error}", data.Generation, ex.Message);
        }
    }
}

/// <summary>What <see cref="AuthStoreMaintenance"/> needs from the store it maintains.</summary>
internal interface IMaintainedStore
{
    /// <summary>The committed data now.</summary>
    AuthData Current { get; }

    /// <summary>When the last commit was acknowledged.</summary>
    DateTimeOffset LastCommitAt { get; }

    /// <summary>Checkpoints on the writer thread when the log holds anything; never throws for a failed checkpoint.</summary>
    Task CheckpointIfLoggedAsync(string why);
}
