namespace PiHub.Core.Hub.Gpio;

/// <summary>
/// Reports a level only once it has held for the debounce time: a contact that bounces, or a
/// pin that flaps, gives one change (or none, if it settles where it started). Thread-safe;
/// <paramref name="onStable"/> runs on a timer thread, or on the caller's when the window is zero.
/// </summary>
public sealed class Debouncer(TimeSpan window, TimeProvider time, bool initial, Action<bool> onStable) : IDisposable
{
    private readonly object _lock = new();
    private ITimer? _timer;
    private bool _latest = initial;
    private bool _reported = initial;
    private long _generation;

    /// <summary>The last level reported.</summary>
    public bool Stable
    {
        get
        {
            lock (_lock) return _reported;
        }
    }

    /// <summary>Feeds an edge (the level the pin has now).</summary>
    public void Input(bool level)
    {
        if (window <= TimeSpan.Zero)
        {
            lock (_lock)
            {
                _latest = level;
                if (level == _reported) return;
                _reported = level;
            }

            onStable(level);
            return;
        }

        lock (_lock)
        {
            _latest = level;
            var generation = ++_generation;
            _timer?.Dispose();
            _timer = time.CreateTimer(_ => Settle(generation), null, window, Timeout.InfiniteTimeSpan);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _generation++;
            _timer?.Dispose();
            _timer = null;
        }
    }

    private void Settle(long generation)
    {
        bool level;
        lock (_lock)
        {
            // A later edge restarted the window: this timer's news is stale.
            if (generation != _generation || _latest == _reported) return;
            _reported = level = _latest;
        }

        onStable(level);
    }
}
