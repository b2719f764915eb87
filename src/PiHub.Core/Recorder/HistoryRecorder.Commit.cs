using Microsoft.Extensions.Logging;

namespace PiHub.Core.Recorder;

public sealed partial class HistoryRecorder
{
    private string? _failure;
    private long _commits;
    private int _failedCommits;
    private DateOnly? _lastPurgeDay;

    /// <summary>
    /// Commits everything recorded so far now: at shutdown and when the power monitor sees the
    /// supply failing. True when it is all on the medium; false (after logging why) when the
    /// store could not be written. Never throws for a store failure.
    /// </summary>
    public async Task<bool> FlushAsync(CancellationToken cancellationToken = default)
    {
        if (!_options.Enabled) return true;
        return await CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task RunAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        using var owned = timer;
        try
        {
            PurgeIfDue();
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await CommitAsync(cancellationToken).ConfigureAwait(false);
                    PurgeIfDue();
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Store failures are handled in CommitAsync; anything else must not end the loop
                    // silently and leave history unwritten for the rest of the run.
                    _logger.LogError(ex, "The recorder's commit loop hit an unexpected error; it carries on with the next interval");
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: DisposeAsync commits what is left.
        }
    }

    private async Task<bool> CommitAsync(CancellationToken cancellationToken)
    {
        await _storeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            List<Recorded> batch;
            lock (_gate)
            {
                if (_pending.Count == 0) return true;
                batch = _pending;
                _pending = [];
            }

            if (_store is null)
            {
                PutBack(batch);
                return false;
            }

            var toWrite = _baselines.Prepare(batch, out var accept);
            try
            {
                _store.Append(toWrite);
            }
            catch (Exception ex)
            {
                PutBack(batch);
                OnCommitFailed(ex, batch.Count);
                return false;
            }

            accept();
            OnCommitSucceeded();
            return true;
        }
        finally
        {
            _storeGate.Release();
        }
    }

    /// <summary>Returns a batch that was not written to the front of the queue, keeping the bound.</summary>
    private void PutBack(List<Recorded> batch)
    {
        lock (_gate)
        {
            batch.AddRange(_pending);
            _pending = batch;
            TrimPending();
        }
    }

    private void OnCommitSucceeded()
    {
        Interlocked.Increment(ref _commits);
        string? was;
        lock (_gate)
        {
            was = _failure;
            _failure = null;
            _failedCommits = 0;
        }

        if (was is null) return;
        _logger.LogWarning("History is being saved again (it failed with: {Failure}); {Dropped} changes were dropped meanwhile", was, Interlocked.Read(ref _dropped));
        _ = DismissAsync(FailureNotificationId);
    }

    private void OnCommitFailed(Exception ex, int count)
    {
        int failures;
        bool first;
        lock (_gate)
        {
            first = _failure is null;
            _failure = ex.Message;
            failures = ++_failedCommits;
        }

        // Every commit interval would flood the journal: the first failure, then one line a ~minute at 5 s.
        if (first || failures % 12 == 0)
        {
            _logger.LogError(ex, "History commit failed ({Count} changes kept in memory, {Failures} failures in a row): {Error}. The hub keeps working; the commit is retried",
                count, failures, ex.Message);
        }

        if (first) _ = NotifyAsync(FailureNotificationId, "History is not being saved", FailureMessage(ex.Message));
    }

    private static string FailureMessage(string reason) =>
        $"PiHub could not write its history store ({reason}). Everything else works; recent changes are kept in memory " +
        "and written as soon as the store accepts them. Check free space (`df -h /var/lib/pihub`) and the SD card (`dmesg`).";

    private void PurgeIfDue()
    {
        if (_store is null) return;
        var now = _time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (_lastPurgeDay == today) return;
        _lastPurgeDay = today;
        var cutoff = now - TimeSpan.FromDays(_options.PurgeKeepDays);
        _storeGate.Wait();
        try
        {
            var removed = _store.PurgeBefore(cutoff);
            if (!string.IsNullOrEmpty(removed)) _logger.LogInformation("History purge (keeping {Days} days): {Removed}", _options.PurgeKeepDays, removed);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "History purge failed: {Error}. It is retried tomorrow; nothing else is affected", ex.Message);
        }
        finally
        {
            _storeGate.Release();
        }
    }

    private async Task NotifyAsync(string id, string title, string message)
    {
        try
        {
            await _hub.Notifications.CreateAsync(message, title, id).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Best effort: the same full disk may refuse the notification too; the log line stands.
            _logger.LogWarning("Could not show the notification \"{Title}\": {Error}", title, ex.Message);
        }
    }

    private async Task DismissAsync(string id)
    {
        try
        {
            await _hub.Notifications.DismissAsync(id).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _logger.LogWarning("Could not dismiss the notification {Id}: {Error}", id, ex.Message);
        }
    }

    /// <summary>Stops recording, commits what is left (shutdown) and closes the store.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _stateSubscription?.Dispose();
        _eventSubscription?.Dispose();
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        if (_options.Enabled && !await CommitAsync(CancellationToken.None).ConfigureAwait(false))
        {
            _logger.LogError("History of the last {Count} changes could not be written at shutdown", Status.Pending);
        }

        _store?.Dispose();
        _stop.Dispose();
        _storeGate.Dispose();
    }
}
