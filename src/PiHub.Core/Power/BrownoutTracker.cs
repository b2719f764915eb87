using System.Diagnostics;

namespace PiHub.Core.Power;

/// <summary>
/// The power-fail state machine, and nothing else: the two signals (the fail pin with its restore
/// debounce, a low supply reading), the brownout in progress, and its two deadlines (good for
/// <c>power.recovery_s</c> ends it; bad for <c>power.shutdown_after_s</c> asks for a shutdown). It does
/// no I/O: every decision is handed to the transition callback, which <see cref="PowerManager"/> turns
/// into the gate, the flushes, entities, events and records. Its clock is a <see cref="TimeProvider"/>, so
/// tests drive it with a fake one.
/// </summary>
/// <remarks>
/// The callback runs under the tracker's lock, so transitions reach it one at a time and in the order
/// they happened (a fail edge right after a recovery closes the gate after the recovery reopened it).
/// It must not block: close or open the gate, start tasks, queue work.
/// </remarks>
public sealed class BrownoutTracker : IDisposable
{
    private readonly TimeSpan _debounce;
    private readonly TimeSpan _recovery;
    private readonly TimeSpan? _shutdownAfter;
    private readonly TimeProvider _time;
    private readonly Action<BrownoutTransition> _transition;
    private readonly object _lock = new();
    private bool _pinFailing;
    private bool _voltageLow;
    private double? _lastVolts;
    private string _pinCause = "the power-fail pin";
    private readonly Deadline _pinRestore;
    private readonly Deadline _recoveryTimer;
    private readonly Deadline _shutdownTimer;
    private BrownoutInProgress? _current;
    private bool _disposed;

    /// <param name="debounce">How long the pin must stay good before it counts as good (<c>power.fail_pin.debounce_ms</c>).</param>
    /// <param name="recovery">How long power must be good before the brownout ends (<c>power.recovery_s</c>).</param>
    /// <param name="shutdownAfter">How long power may be bad before a shutdown is due; null: never.</param>
    /// <param name="time">The clock for the start times and the three timers.</param>
    /// <param name="transition">Told of every transition, under the tracker's lock (see remarks).</param>
    public BrownoutTracker(TimeSpan debounce, TimeSpan recovery, TimeSpan? shutdownAfter, TimeProvider time, Action<BrownoutTransition> transition)
    {
        _debounce = debounce;
        _recovery = recovery;
        _shutdownAfter = shutdownAfter;
        _time = time;
        _transition = transition;
        _pinRestore = new Deadline(this, PinSettled);
        _recoveryTimer = new Deadline(this, Recovered);
        // Held after firing: one shutdown request per bad spell, armed again only after power was good.
        _shutdownTimer = new Deadline(this, ShutdownDue, heldAfterFiring: true);
    }

    /// <summary>True from the first bad signal until power has been good for the recovery time.</summary>
    public bool IsFailing
    {
        get
        {
            lock (_lock) return _current is not null;
        }
    }

    /// <summary>True while a signal says power is bad now (the pin, debounced on the way back, or a low reading).</summary>
    public bool SignalBad
    {
        get
        {
            lock (_lock) return _pinFailing || _voltageLow;
        }
    }

    /// <summary>
    /// The fail pin's polarity-corrected level (true = failing), named by <paramref name="cause"/>.
    /// <paramref name="signalAt"/> is the <see cref="Stopwatch"/> timestamp of the edge.
    /// A fail edge acts at once; the way back waits for the debounce, and a fail edge during it cancels it.
    /// </summary>
    public void ReportPin(bool failing, string cause, long signalAt)
    {
        lock (_lock)
        {
            if (_disposed) return;
            _pinCause = cause;
            if (failing)
            {
                _pinRestore.Cancel();
                if (_pinFailing) return;
                _pinFailing = true;
            }
            else
            {
                if (!_pinFailing || _pinRestore.IsArmed) return;
                if (_debounce > TimeSpan.Zero)
                {
                    _pinRestore.Arm(_debounce);
                    return;
                }

                _pinFailing = false;
            }

            EvaluateLocked(signalAt, cause);
        }
    }

    /// <summary>
    /// A supply reading: <paramref name="low"/> is its verdict, <paramref name="volts"/> (when measured) feeds the
    /// brownout's lowest voltage, <paramref name="cause"/> names it should the verdict change.
    /// </summary>
    public void ReportVoltage(bool low, double? volts, string cause, long signalAt)
    {
        lock (_lock)
        {
            if (_disposed) return;
            _lastVolts = volts ?? _lastVolts;
            if (_current is not null && volts is { } v && (_current.LowestVolts is null || v < _current.LowestVolts)) _current.LowestVolts = v;
            if (low == _voltageLow) return;
            _voltageLow = low;
            EvaluateLocked(signalAt, cause);
        }
    }

    /// <summary>Stops every timer; later reports and timers change nothing.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _pinRestore.Cancel();
            _recoveryTimer.Cancel();
            _shutdownTimer.Cancel();
        }
    }

    /// <summary>What the signals mean now. Callers hold the lock.</summary>
    private void EvaluateLocked(long signalAt, string cause)
    {
        if (_pinFailing || _voltageLow)
        {
            var recoveryCancelled = _recoveryTimer.Cancel();
            if (_current is null)
            {
                _current = new BrownoutInProgress(_time.GetUtcNow(), cause, _lastVolts);
                _transition(new BrownoutTransition.Started(_current.Start, cause, _current.LowestVolts, signalAt));
            }
            else
            {
                _transition(new BrownoutTransition.StillFailing(_current.Start, cause, recoveryCancelled));
            }

            if (_shutdownAfter is { } after && !_shutdownTimer.IsArmed) _shutdownTimer.Arm(after);
            return;
        }

        _shutdownTimer.Cancel();
        if (_current is null || _recoveryTimer.IsArmed) return;
        _recoveryTimer.Arm(_recovery);
        _transition(new BrownoutTransition.Recovering(_current.Start, _recovery));
    }

    private void PinSettled()
    {
        _pinFailing = false;
        EvaluateLocked(Stopwatch.GetTimestamp(), _pinCause);
    }

    private void Recovered()
    {
        if (_current is not { } ended) return;
        _current = null;
        _transition(new BrownoutTransition.Ended(ended.Start, _time.GetUtcNow(), ended.Cause, ended.LowestVolts, ended.ShutdownRequested));
    }

    private void ShutdownDue()
    {
        if (_current is null || _recoveryTimer.IsArmed) return;
        _current.ShutdownRequested = true;
        _transition(new BrownoutTransition.ShutdownDue(_current.Start, _shutdownAfter!.Value));
    }

    /// <summary>
    /// One of the three timers, armed and cancelled under the tracker's lock. Each arming has its own number, so
    /// the callback of a timer cancelled or re-armed meanwhile (already queued on the thread pool) does nothing.
    /// </summary>
    private sealed class Deadline(BrownoutTracker owner, Action fired, bool heldAfterFiring = false)
    {
        private ITimer? _timer;
        private long _generation;

        /// <summary>Armed, or (when held after firing) fired and not cancelled since.</summary>
        public bool IsArmed => _timer is not null;

        /// <summary>Cancels it; true when it was armed.</summary>
        public bool Cancel()
        {
            _generation++;
            if (_timer is null) return false;
            _timer.Dispose();
            _timer = null;
            return true;
        }

        public void Arm(TimeSpan after)
        {
            Cancel();
            var generation = _generation;
            _timer = owner._time.CreateTimer(_ => Fire(generation), null, after, Timeout.InfiniteTimeSpan);
        }

        private void Fire(long generation)
        {
            lock (owner._lock)
            {
                if (owner._disposed || generation != _generation || _timer is null) return;
                if (!heldAfterFiring)
                {
                    _timer.Dispose();
                    _timer = null;
                }

                fired();
            }
        }
    }

    private sealed class BrownoutInProgress(DateTimeOffset start, string cause, double? volts)
    {
        public DateTimeOffset Start { get; } = start;

        public string Cause { get; } = cause;

        public double? LowestVolts { get; set; } = volts;

        public bool ShutdownRequested { get; set; }
    }
}
