using Microsoft.Extensions.Time.Testing;

namespace PiHub.Testing;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that tells the test when the code under test starts waiting on it
/// (<c>Task.Delay</c>, <c>PeriodicTimer</c> and timers all create one), so the test moves the clock only
/// once that wait is in place: a timer created after <see cref="FakeTimeProvider.Advance"/> would not fire.
/// </summary>
public sealed class SignallingFakeTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly object _gate = new();
    private readonly List<Action> _subscribers = [];
    private int _timersCreated;

    /// <summary>How many timers have been created on this clock so far.</summary>
    public int TimersCreated => Volatile.Read(ref _timersCreated);

    /// <summary>Calls <paramref name="callback"/> after each timer is created, until the result is disposed (for <see cref="Wait.UntilAsync"/>).</summary>
    public IDisposable OnTimerCreated(Action callback)
    {
        lock (_gate) _subscribers.Add(callback);
        return new Unsubscriber(this, callback);
    }

    /// <inheritdoc/>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        Interlocked.Increment(ref _timersCreated);
        Action[] subscribers;
        lock (_gate) subscribers = [.. _subscribers];
        foreach (var subscriber in subscribers) subscriber();
        return timer;
    }

    private sealed class Unsubscriber(SignallingFakeTimeProvider owner, Action callback) : IDisposable
    {
        public void Dispose()
        {
            lock (owner._gate) owner._subscribers.Remove(callback);
        }
    }
}
