using Microsoft.Extensions.Logging;
using PiHub.Core.Auth.Storage;

namespace PiHub.Storage;

public sealed partial class LiteAuthStore
{
    /// <summary>
    /// Background work off the commit path: a coalesced snapshot after changes (at most one per
    /// <see cref="AuthStoreOptions.SnapshotMinInterval"/>) and a checkpoint once the store is idle.
    /// </summary>
    private async Task MaintainAsync(CancellationToken stop)
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
            var current = Current;
            if (current.Generation != Interlocked.Read(ref _lastSnapshotGeneration)) TryTakeSnapshot(current);
            if (_time.GetUtcNow() - _lastCommitAt >= _options.CheckpointIdleDelay)
            {
                await _writer.RunAsync(() =>
                {
                    if (_db is { LogLength: > 0 }) TryCheckpointOnWriter("the store is idle");
                    return 0;
                }).ConfigureAwait(false);
            }
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

    private void TakeSnapshot(AuthData data)
    {
        _snapshots.Take(data, _time.GetUtcNow());
        Interlocked.Exchange(ref _lastSnapshotGeneration, data.Generation);
    }
}
