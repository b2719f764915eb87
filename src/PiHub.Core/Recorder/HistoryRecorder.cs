using System.Collections.Immutable;
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
/// notification and retried; the hub keeps serving and never waits on it.
/// </summary>
public sealed partial class HistoryRecorder : IAsyncDisposable
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
    private readonly object _gate = new();
    private readonly SemaphoreSlim _storeGate = new(1, 1);
    private readonly DayBaselines _baselines = new();
    private readonly CancellationTokenSource _stop = new();
    private List<Recorded> _pending = [];
    private ImmutableArray<Action<Recorded>> _listeners = [];
    private long _sequence;
    private long _dropped;
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
        if (store is null && options.Enabled) _failure = storeFailure ?? "the history store is not open";
    }

    public RecorderOptions Options => _options;

    /// <summary>What the recorder is doing, for health checks, the log and tests.</summary>
    public RecorderStatus Status
    {
        get
        {
            lock (_gate)
            {
                return new RecorderStatus(_options.Enabled, _failure, _pending.Count, Interlocked.Read(ref _dropped), _commits, _store?.Name);
            }
        }
    }

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
            _ = NotifyAsync(RecoveryNotificationId, "PiHub repaired its history store",
                report + " The hub keeps working; history from the moved files is no longer shown.");
        }

        if (_failure is not null)
        {
            _logger.LogError("History is not saved: {Reason}. The hub keeps working; history lives in memory only until a restart", _failure);
            _ = NotifyAsync(FailureNotificationId, "History is not being saved", FailureMessage(_failure));
        }

        _eventSubscription = _hub.Bus.Subscribe(null, OnEvent);
        _stateSubscription = _hub.States.Observe(
            snapshot =>
            {
                var now = _time.GetUtcNow();
                foreach (var s in snapshot)
                {
                    if (_options.Filter.Records(s.EntityId)) Enqueue(ToRecord(s, StateRecordKind.Baseline, isNew: false) with { Time = now });
                }
            },
            OnStateChanged);
        // The timer starts now (not when the loop's thread gets to it), so the first commit is one interval after start.
        var timer = new PeriodicTimer(_options.CommitInterval, _time);
        _loop = Task.Run(() => RunAsync(timer, _stop.Token));
        _logger.LogInformation("Recorder started: {Store}, commit every {Interval} s, keeping {Days} days",
            _store?.Name ?? "memory only", _options.CommitInterval.TotalSeconds, _options.PurgeKeepDays);
    }

    /// <summary>
    /// Calls <paramref name="listener"/> with every record as it is recorded (synchronously, in
    /// order; it must not block). Dispose to stop. <paramref name="sequence"/> is the last
    /// sequence number recorded before the subscription: later records have higher numbers.
    /// </summary>
    public IDisposable Subscribe(Action<Recorded> listener, out long sequence)
    {
        lock (_gate)
        {
            _listeners = _listeners.Add(listener);
            sequence = _sequence;
        }

        return new Listener(this, listener);
    }

    /// <summary>
    /// Reads history from the store plus what is still waiting to be committed. Returns the data
    /// and the last sequence number it covers.
    /// </summary>
    public async Task<(HistoryData Data, long Sequence)> ReadAsync(HistoryRead request, CancellationToken cancellationToken = default)
    {
        await _storeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            List<Recorded> pending;
            long sequence;
            lock (_gate)
            {
                pending = [.. _pending];
                sequence = _sequence;
            }

            HistoryData data;
            try
            {
                data = _store?.Read(request) ?? new HistoryData();
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Reading the history store failed; answering with the changes still in memory");
                data = new HistoryData();
            }

            foreach (var item in pending) Merge(data, request, item);
            if (data.Truncated)
            {
                _logger.LogWarning("A history read from {From:O} to {To:O} stopped at {Max} records; ask for fewer entities or a shorter period",
                    request.From, request.To, HistoryData.MaxItems);
            }

            return (data, sequence);
        }
        finally
        {
            _storeGate.Release();
        }
    }

    /// <summary>Adds <paramref name="item"/> to <paramref name="data"/> where it belongs in the answer to <paramref name="request"/>.</summary>
    public static void Merge(HistoryData data, HistoryRead request, Recorded item)
    {
        switch (item)
        {
            case StateRecord s when request.Wants(s.EntityId):
                if (s.Time < request.From)
                {
                    if (request.StartStates) data.ApplyBefore(s);
                }
                else if (s.Time < request.To && request.States)
                {
                    data.Add(s);
                }

                break;
            case EventRecord e when request.Events && e.Time >= request.From && e.Time < request.To:
                data.Add(e);
                break;
        }
    }

    private void OnStateChanged(StateChangedEvent change)
    {
        if (!_options.Filter.Records(change.EntityId)) return;
        if (change.NewState is { } state)
        {
            Enqueue(ToRecord(state, StateRecordKind.Changed, isNew: change.OldState is null));
        }
        else
        {
            Enqueue(new StateRecord(change.EntityId, "", StateRecord.EmptyAttributes, change.TimeFired, change.TimeFired,
                change.Context, CallerScope.ClientNameFor(change.Context.UserId), StateRecordKind.Removed));
        }
    }

    private void OnEvent(HubEvent hubEvent)
    {
        if (hubEvent is StateChangedEvent || !_options.Filter.RecordsEvent(hubEvent.EventType)) return;
        var data = System.Text.Encoding.UTF8.GetString(HubJson.ToBytes(hubEvent, static (w, e) => e.WriteData(w)));
        Enqueue(new EventRecord(hubEvent.EventType, data, hubEvent.Origin, hubEvent.TimeFired, hubEvent.Context,
            CallerScope.ClientNameFor(hubEvent.Context.UserId)));
    }

    private static StateRecord ToRecord(State state, StateRecordKind kind, bool isNew) =>
        new(state.EntityId, state.Value, state.Attributes.ValueKind == JsonValueKind.Object ? state.Attributes.GetRawText() : StateRecord.EmptyAttributes,
            state.LastChanged, state.LastUpdated, state.Context, CallerScope.ClientNameFor(state.Context.UserId), kind, isNew);

    private void Enqueue(Recorded record)
    {
        ImmutableArray<Action<Recorded>> listeners;
        lock (_gate)
        {
            record = record with { Sequence = ++_sequence };
            _pending.Add(record);
            TrimPending();
            listeners = _listeners;
        }

        foreach (var listener in listeners)
        {
            try
            {
                listener(record);
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "A history listener failed; the record is still kept");
            }
        }
    }

    /// <summary>Drops the oldest tenth when over the limit (called under the lock).</summary>
    private void TrimPending()
    {
        if (_pending.Count <= _options.MaxPending) return;
        var drop = Math.Max(1, _options.MaxPending / 10);
        _pending.RemoveRange(0, drop);
        Interlocked.Add(ref _dropped, drop);
    }

    private void Unsubscribe(Action<Recorded> listener)
    {
        lock (_gate)
        {
            _listeners = _listeners.Remove(listener);
        }
    }

    private sealed class Listener(HistoryRecorder recorder, Action<Recorded> listener) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) recorder.Unsubscribe(listener);
        }
    }
}

/// <summary>The recorder's state: on or off, failing or not, and how much waits in memory.</summary>
/// <param name="Enabled">False when recorder.enabled is off.</param>
/// <param name="Failure">Why history is not being written right now; null when all is well.</param>
/// <param name="Dropped">Changes dropped because the store could not be written for too long.</param>
/// <param name="Pending">Changes waiting in memory for the next commit.</param>
/// <param name="Commits">Commits written since start-up.</param>
/// <param name="Store">The store's name; null when none is open.</param>
public sealed record RecorderStatus(bool Enabled, string? Failure, int Pending, long Dropped, long Commits, string? Store);
