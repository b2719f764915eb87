using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace PiHub.Core.Hub;

/// <summary>
/// Delivers events to subscribers synchronously, in firing order. Handlers must not block:
/// WebSocket connections enqueue into their own bounded queues. A failing handler is logged
/// and never stops delivery to the others.
/// </summary>
public sealed class EventBus
{
    /// <summary>Event type meaning "every event".</summary>
    public const string MatchAll = "*";

    private readonly ILogger _logger;
    private readonly object _gate = new();
    private ImmutableArray<Subscription> _subscriptions = [];

    public EventBus(ILogger<EventBus>? logger = null) => _logger = (ILogger?)logger ?? NullLogger.Instance;

    public int SubscriberCount => _subscriptions.Length;

    /// <summary>Subscribes to one event type, or to all with null or <see cref="MatchAll"/>. Dispose to unsubscribe.</summary>
    public IDisposable Subscribe(string? eventType, Action<HubEvent> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var subscription = new Subscription(this, eventType is null or MatchAll ? null : eventType, handler);
        lock (_gate)
        {
            _subscriptions = _subscriptions.Add(subscription);
        }

        return subscription;
    }

    public void Fire(HubEvent hubEvent)
    {
        ArgumentNullException.ThrowIfNull(hubEvent);
        foreach (var s in _subscriptions)
        {
            if (s.EventType is not null && !string.Equals(s.EventType, hubEvent.EventType, StringComparison.Ordinal))
            {
                continue;
            }

            try
            {
                s.Handler(hubEvent);
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "An event handler failed on {EventType}; other subscribers still got the event", hubEvent.EventType);
            }
        }
    }

    private void Remove(Subscription subscription)
    {
        lock (_gate)
        {
            _subscriptions = _subscriptions.Remove(subscription);
        }
    }

    private sealed class Subscription(EventBus bus, string? eventType, Action<HubEvent> handler) : IDisposable
    {
        private int _disposed;

        public string? EventType { get; } = eventType;

        public Action<HubEvent> Handler { get; } = handler;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) bus.Remove(this);
        }
    }
}
