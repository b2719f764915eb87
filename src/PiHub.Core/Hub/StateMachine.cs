using System.Text.Json;

namespace PiHub.Core.Hub;

/// <summary>
/// The current state of every entity. Changes are serialized by one lock so that
/// <c>state_changed</c> events leave in the same order as the changes happened.
/// </summary>
public sealed class StateMachine
{
    private readonly EventBus _bus;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private readonly Dictionary<string, State> _states = new(StringComparer.Ordinal);
    private State[] _ordered = [];
    private byte[]? _allJson;

    public StateMachine(EventBus bus, TimeProvider time)
    {
        _bus = bus;
        _time = time;
    }

    public int Count => _ordered.Length;

    public State? Get(string entityId)
    {
        lock (_gate)
        {
            return _states.GetValueOrDefault(entityId);
        }
    }

    /// <summary>Every state, ordered by entity id. A snapshot: later changes do not affect it.</summary>
    public IReadOnlyList<State> All() => Volatile.Read(ref _ordered);

    /// <summary>The JSON array of every state, cached until the next change.</summary>
    public ReadOnlyMemory<byte> AllJson()
    {
        var cached = Volatile.Read(ref _allJson);
        if (cached is not null) return cached;
        var states = All();
        var json = HubJson.ToBytes(states, static (w, list) =>
        {
            w.WriteStartArray();
            foreach (var s in list) s.WriteCachedTo(w);
            w.WriteEndArray();
        });
        lock (_gate)
        {
            if (ReferenceEquals(states, _ordered)) _allJson = json;
        }

        return json;
    }

    /// <summary>
    /// Hands <paramref name="onSnapshot"/> the current states and subscribes <paramref name="onChange"/>
    /// atomically: no change is missed between the two and none is seen twice.
    /// </summary>
    public IDisposable Observe(Action<IReadOnlyList<State>> onSnapshot, Action<StateChangedEvent> onChange)
    {
        lock (_gate)
        {
            onSnapshot(_ordered);
            return _bus.Subscribe(StateChangedEvent.Type, e => onChange((StateChangedEvent)e));
        }
    }

    /// <summary>
    /// Sets a state. Returns the state now held; fires <c>state_changed</c> only when the state
    /// string or the attributes differ (or <paramref name="forceUpdate"/>).
    /// </summary>
    public State Set(string entityId, string value, JsonElement? attributes = null, HubContext? context = null, bool forceUpdate = false)
    {
        EntityId.Validate(entityId);
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length > State.MaxLength)
        {
            throw new HubException(HubErrorCodes.InvalidState,
                $"The state of {entityId} is {value.Length} characters long; the limit is {State.MaxLength}. Put long text in an attribute.");
        }

        var attrs = attributes ?? HubJson.EmptyObject;
        if (attrs.ValueKind != JsonValueKind.Object)
        {
            throw new HubException(HubErrorCodes.InvalidFormat, $"Attributes of {entityId} must be a JSON object, not {attrs.ValueKind}.");
        }

        attrs = attrs.Clone();
        lock (_gate)
        {
            var old = _states.GetValueOrDefault(entityId);
            var sameValue = old is not null && string.Equals(old.Value, value, StringComparison.Ordinal);
            var sameAttrs = old is not null && JsonElement.DeepEquals(old.Attributes, attrs);
            if (sameValue && sameAttrs && !forceUpdate)
            {
                return old!;
            }

            var now = _time.GetUtcNow();
            var ctx = context ?? HubContext.New(time: _time);
            var state = new State(entityId, value, attrs, sameValue ? old!.LastChanged : now, now, ctx);
            _states[entityId] = state;
            Publish();
            _bus.Fire(new StateChangedEvent(entityId, old, state, ctx, now));
            return state;
        }
    }

    /// <summary>Removes an entity; false when it did not exist.</summary>
    public bool Remove(string entityId, HubContext? context = null)
    {
        lock (_gate)
        {
            if (!_states.Remove(entityId, out var old)) return false;
            Publish();
            _bus.Fire(new StateChangedEvent(entityId, old, null, context ?? HubContext.New(time: _time), _time.GetUtcNow()));
            return true;
        }
    }

    private void Publish()
    {
        var ordered = _states.Values.ToArray();
        Array.Sort(ordered, static (a, b) => string.CompareOrdinal(a.EntityId, b.EntityId));
        _ordered = ordered;
        _allJson = null;
    }
}
