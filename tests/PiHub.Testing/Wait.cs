namespace PiHub.Testing;

/// <summary>
/// Waits for something another thread does, woken by the thing's own signal (an event, a log line),
/// never by sleeping and polling. The timeout only turns a hang into a clear failure; it is not a
/// measure of speed.
/// </summary>
public static class Wait
{
    /// <summary>How long a test waits for a signal before it fails (generous: the machine may be busy).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Completes once <paramref name="condition"/> holds. <paramref name="subscribe"/> registers a callback
    /// to run whenever the condition may have changed, and returns the registration (disposed at the end).
    /// The condition is checked after subscribing, so a change that happened before the call is not missed.
    /// </summary>
    /// <exception cref="TimeoutException">The condition did not hold within <paramref name="timeout"/>; the message names <paramref name="what"/>.</exception>
    public static async Task UntilAsync(Func<bool> condition, Func<Action, IDisposable> subscribe, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(subscribe);
        var limit = timeout ?? Timeout;
        var deadline = DateTime.UtcNow + limit;
        var signal = new Latch();
        using var subscription = subscribe(signal.Set);
        while (true)
        {
            // Re-armed before the check: a change between the check and the wait still wakes us.
            var next = signal.Arm();
            if (condition()) return;
            var left = deadline - DateTime.UtcNow;
            try
            {
                await next.WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                if (condition()) return;
                throw new TimeoutException($"Waited {limit.TotalSeconds:0} s for {what}; it did not happen.");
            }
        }
    }

    /// <summary>Awaits <paramref name="task"/> for at most <see cref="Timeout"/>; a hang fails naming <paramref name="what"/>.</summary>
    public static async Task<T> ForAsync<T>(Task<T> task, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        var limit = timeout ?? Timeout;
        try
        {
            return await task.WaitAsync(limit).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Waited {limit.TotalSeconds:0} s for {what}; it did not happen.");
        }
    }

    /// <inheritdoc cref="ForAsync{T}(Task{T}, string, TimeSpan?)"/>
    public static async Task ForAsync(Task task, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        var limit = timeout ?? Timeout;
        try
        {
            await task.WaitAsync(limit).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Waited {limit.TotalSeconds:0} s for {what}; it did not happen.");
        }
    }

    /// <summary>A one-shot signal that can be re-armed; setting it from any thread is safe at any time.</summary>
    private sealed class Latch
    {
        private TaskCompletionSource _current = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Arm()
        {
            var next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _current, next);
            return next.Task;
        }

        public void Set() => Volatile.Read(ref _current).TrySetResult();
    }
}
