using Microsoft.Extensions.Logging;
using PiHub.Core.Hub;

namespace PiHub.Core.Recorder;

/// <summary>
/// Writes what waits in the <see cref="RecorderQueue"/> to the store every
/// <see cref="RecorderOptions.CommitInterval"/>, purges once a day, and owns the failure state:
/// a failing store is logged, reported once as a notification and retried.
/// </summary>
internal sealed class CommitLoop
{
    private readonly HubCore _hub;
    private readonly IHistoryStore? _store;
    private readonly RecorderQueue _queue;
    private readonly SemaphoreSlim _storeGate;
    private readonly RecorderOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly DayBaselines _baselines = new();
    private readonly Lock _gate = new();
    private string? _failure;
    private long _commits;
    private int _failedCommits;
    private DateOnly? _lastPurgeDay;

    public CommitLoop(HubCore hub, IHistoryStore? store, RecorderQueue queue, SemaphoreSlim storeGate, RecorderOptions options, ILogger logger, string? failure)
    {
        _hub = hub;
        _store = store;
        _queue = queue;
        _storeGate = storeGate;
        _options = options;
        _time = hub.Time;
        _logger = logger;
        _failure = failure;
    }

    /// <summary>Why history is not being written right now; null when all is well.</summary>
    public string? Failure
    {
        get
        {
            lock (_gate) return _failure;
        }
    }

    /// <summary>Commits written since start-up.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Reports a store that failed before the loop started (at start-up).</summary>
    public void ReportStartupFailure()
    {
        if (Failure is not { } failure) return;
        _logger.LogError("History is not saved: {Reason}. The hub keeps working; history lives in memory only until a restart", failure);
        _ = NotifyAsync(HistoryRecorder.FailureNotificationId, "History is not being saved", FailureMessage(failure));
    }

    public async Task RunAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        using var owned = timer;
        try
        {
            await PurgeIfDueAsync().ConfigureAwait(false);
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await CommitAsync(cancellationToken).ConfigureAwait(false);
                    await PurgeIfDueAsync().ConfigureAwait(false);
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
            // Stopping: the recorder's DisposeAsync commits what is left.
        }
    }

    /// <summary>Commits everything waiting now; true when it is on the medium (or nothing waited).</summary>
    public async Task<bool> CommitAsync(CancellationToken cancellationToken)
    {
        await _storeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var batch = _queue.TakeAll();
            if (batch.Count == 0) return true;
            if (_store is null)
            {
                _queue.PutBack(batch);
                return false;
            }

            var toWrite = _baselines.Prepare(batch, out var accept);
            try
            {
                _store.Append(toWrite);
            }
            catch (Exception ex)
            {
                _queue.PutBack(batch);
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
        _logger.LogWarning("History is being saved again (it failed with: {Failure}); {Dropped} changes were dropped meanwhile", was, _queue.Dropped);
        _ = DismissAsync(HistoryRecorder.FailureNotificationId);
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

        if (first) _ = NotifyAsync(HistoryRecorder.FailureNotificationId, "History is not being saved", FailureMessage(ex.Message));
    }

    private static string FailureMessage(string reason) =>
        $"PiHub could not write its history store ({reason}). Everything else works; recent changes are kept in memory " +
        "and written as soon as the store accepts them. Check free space (`df -h /var/lib/pihub`) and the SD card (`dmesg`).";

    private async Task PurgeIfDueAsync()
    {
        if (_store is null) return;
        var now = _time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (_lastPurgeDay == today) return;
        _lastPurgeDay = today;
        var cutoff = now - TimeSpan.FromDays(_options.PurgeKeepDays);
        await _storeGate.WaitAsync().ConfigureAwait(false);
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

    public async Task NotifyAsync(string id, string title, string message)
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
}
