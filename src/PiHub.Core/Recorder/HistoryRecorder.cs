using System.Text.Json;
using Microsoft.Extensions.Logging;
using PiHub.Core.Hub;

namespace PiHub.Core.Recorder;

/// <summary>
/// Home Assistant's recorder, built for an SD card: every state change and event (with its
/// context) is kept in memory and written to the history store as one commit every
/// <see cref="RecorderOptions.CommitInterval"/>, so the card sees one small append per interval
/// instead of one per change. History older than <see cref="RecorderOptions.PurgeKeepDays"/> is
/// purged once a day. A failing store (full disk, damaged file) is logged, reported once as a
/// notification and retried; the hub keeps serving and never waits on it. This class turns the
/// hub's changes into records; <see cref="RecorderQueue"/> holds them, <see cref="CommitLoop"/>
/// writes them and <see cref="HistoryReader"/> answers reads.
/// </summary>
public sealed class HistoryRecorder : IAsyncDisposable
{
    /// <summary>Id of the notification shown while history cannot be written.</summary>
    public const string FailureNotificationId = "recorder_failure";

    /// <summary>Id of the notification shown when the store was repaired at start-up.</summary>
    public const string RecoveryNotificationId = "recorder_store_recovered";

    private readonly HubCore _hub;
    private readonly IHistoryStore? _store;
    private readonly RecorderOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _storeGate = new(1, 1);
    private readonly RecorderQueue _queue;
    private readonly CommitLoop _commits;
    private readonly HistoryReader _reader;
    private readonly CancellationTokenSource _stop = new();
    private IDisposable? _stateSubscription;
    private IDisposable? _eventSubscription;
    private Task _loop = Task.CompletedTask;
    private int _disposed;

    /// <param name="hub">The hub whose states and events are recorded.</param>
    /// <param name="store">The opened store, or null when it could not be opened (history then lives in memory only, bounded).</param>
    /// <param name="options">The recorder section of the configuration.</param>
    /// <param name="logger">Where failures are reported.</param>
    /// <param name="storeFailure">Why the store could not be opened, when <paramref name="store"/> is null.</param>
    public HistoryRecorder(HubCore hub, IHistoryStore? store, RecorderOptions options, ILogger logger, string? storeFailure = null)
    {
        _hub = hub;
        _store = store;
        _options = options;
        _time = hub.Time;
        _logger = logger;
        _queue = new RecorderQueue(options.MaxPending, logger);
        var failure = store is null && options.Enabled ? storeFailure ?? "the history store is not open" : null;
        _commits = new CommitLoop(hub, store, _queue, _storeGate, options, logger, failure);
        _reader = new HistoryReader(store, _queue, _storeGate, logger);
    }

    public RecorderOptions Options => _options;

    /// <summary>What the recorder is doing, for health checks, the log and tests.</summary>
    public RecorderStatus Status => new(_options.Enabled, _commits.Failure, _queue.Count, _queue.Dropped, _commits.Commits, _store?.Name);

    /// <summary>Starts recording: restates every current state, subscribes to the bus and starts the commit loop.</summary>
    public void Start()
    {
        if (!_options.Enabled)
        {
            _logger.LogInformation("Recorder is off (recorder.enabled: false): no history is kept");
            return;
        }

        if (_store?.StartupReport is { } report)
        {
            _logger.LogError("History store repaired at start-up: {Report}", report);
            _ = _commits.NotifyAsync(RecoveryNotificationId, "PiHub repaired its history store",
                report + " The hub keeps working; history from the moved files is no longer shown.");
        }

        _commits.ReportStartupFailure();
        _eventSubscription = _hub.Bus.Subscribe(null, OnEvent);
        _stateSubscription = _hub.States.Observe(
            snapshot =>
            {
                var now = _time.GetUtcNow();
                foreach (var s in snapshot)
                {
                    if (_options.Filter.Records(s.EntityId)) _queue.Enqueue(ToRecord(s, StateRecordKind.Baseline, isNew: false) with { Time = now });
                }
            },
            OnStateChanged);
        // The timer starts now (not when the loop's thread gets to it), so the first commit is one interval after start.
        var timer = new PeriodicTimer(_options.CommitInterval, _time);
        _loop = Task.Run(() => _commits.RunAsync(timer, _stop.Token));
        _logger.LogInformation("Recorder started: {Store}, commit every {Interval} s, keeping {Days} days",
            _store?.Name ?? "memory only", _options.CommitInterval.TotalSeconds, _options.PurgeKeepDays);
    }

    /// <summary>
    /// Calls <paramref name="listener"/> with every record as it is recorded (synchronously, in
    /// order; it must not block). Dispose to stop. <paramref name="sequence"/> is the last
    /// sequence number recorded before the subscription: later records have higher numbers.
    /// </summary>
    public IDisposable Subscribe(Action<Recorded> listener, out long sequence) => _queue.Subscribe(listener, out sequence);

    /// <summary>
    /// Reads history from the store plus what is still waiting to be committed. Returns the data
    /// and the last sequence number it covers.
    /// </summary>
    public Task<(HistoryData Data, long Sequence)> ReadAsync(HistoryRead request, CancellationToken cancellationToken = default) =>
        _reader.ReadAsync(request, cancellationToken);

    /// <summary>Adds <paramref name="item"/> to <paramref name="data"/> where it belongs in the answer to <paramref name="request"/>.</summary>
    public static void Merge(HistoryData data, HistoryRead request, Recorded item) => HistoryReader.Merge(data, request, item);

    /// <summary>
    /// Commits everything recorded so far now: at shutdown and when the power monitor sees the
    /// supply failing. True when it is all on the medium; false (after logging why) when the
    /// store could not be written. Never throws for a store failure.
    /// </summary>
    public async Task<bool> FlushAsync(CancellationToken cancellationToken = default)
    {
        if (!_options.Enabled) return true;
        return await _commits.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops recording, commits what is left (shutdown) and closes the store.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _stateSubscription?.Dispose();
        _eventSubscription?.Dispose();
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        if (_options.Enabled && !await _commits.CommitAsync(CancellationToken.None).ConfigureAwait(false))
        {
            _logger.LogError("History of the last {Count} changes could not be written at shutdown", _queue.Count);
        }

        _store?.Dispose();
        _stop.Dispose();
        _storeGate.Dispose();
    }

    private void OnStateChanged(StateChangedEvent change)
    {
        if (!_options.Filter.Records(change.EntityId)) return;
        if (change.NewState is { } state)
        {
            _queue.Enqueue(ToRecord(state, StateRecordKind.Changed, isNew: change.OldState is null));
        }
        else
        {
            _queue.Enqueue(new StateRecord(change.EntityId, "", StateRecord.EmptyAttributes, change.TimeFired, change.TimeFired,
                change.Context, CallerScope.ClientNameFor(change.Context.UserId), StateRecordKind.Removed));
        }
    }

    private void OnEvent(HubEvent hubEvent)
    {
        if (hubEvent is StateChangedEvent || !_options.Filter.RecordsEvent(hubEvent.EventType)) return;
        var data = System.Text.Encoding.UTF8.GetString(HubJson.ToBytes(hubEvent, static (w, e) => e.WriteData(w)));
        _queue.Enqueue(new EventRecord(hubEvent.EventType, data, hubEvent.Origin, hubEvent.TimeFired, hubEvent.Context,
            CallerScope.ClientNameFor(hubEvent.Context.UserId)));
    }

    private static StateRecord ToRecord(State state, StateRecordKind kind, bool isNew) =>
        new(state.EntityId, state.Value, state.Attributes.ValueKind == JsonValueKind.Object ? state.Attributes.GetRawText() : StateRecord.EmptyAttributes,
            state.LastChanged, state.LastUpdated, state.Context, CallerScope.ClientNameFor(state.Context.UserId), kind, isNew);
}

/// <summary>The recorder's state: on or off, failing or not, and how much waits in memory.</summary>
/// <param name="Enabled">False when recorder.enabled is off.</param>
/// <param name="Failure">Why history is not being written right now; null when all is well.</param>
/// <param name="Dropped">Changes dropped because the store could not be written for too long.</param>
/// <param name="Pending">Changes waiting in memory for the next commit.</param>
/// <param name="Commits">Commits written since start-up.</param>
/// <param name="Store">The store's name; null when none is open.</param>
public sealed record RecorderStatus(bool Enabled, string? Failure, int Pending, long Dropped, long Commits, string? Store);
