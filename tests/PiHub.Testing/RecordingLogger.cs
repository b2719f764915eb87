using Microsoft.Extensions.Logging;

namespace PiHub.Testing;

/// <summary>
/// A logger that keeps every formatted message and calls its subscribers on each one, so a test can
/// await the line that says background work finished (with <see cref="Wait.UntilAsync"/>) instead of sleeping.
/// </summary>
public sealed class RecordingLogger : ILogger
{
    private readonly object _gate = new();
    private readonly List<string> _messages = [];
    private readonly List<Action> _subscribers = [];

    /// <summary>Every message so far, oldest first.</summary>
    public IReadOnlyList<string> Messages
    {
        get
        {
            lock (_gate) return [.. _messages];
        }
    }

    /// <summary>Calls <paramref name="callback"/> after each message until the result is disposed.</summary>
    public IDisposable OnMessage(Action callback)
    {
        lock (_gate) _subscribers.Add(callback);
        return new Unsubscriber(this, callback);
    }

    /// <inheritdoc/>
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    /// <inheritdoc/>
    public bool IsEnabled(LogLevel logLevel) => true;

    /// <inheritdoc/>
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        Action[] subscribers;
        lock (_gate)
        {
            _messages.Add(formatter(state, exception));
            subscribers = [.. _subscribers];
        }

        foreach (var subscriber in subscribers) subscriber();
    }

    private sealed class Unsubscriber(RecordingLogger logger, Action callback) : IDisposable
    {
        public void Dispose()
        {
            lock (logger._gate) logger._subscribers.Remove(callback);
        }
    }
}
