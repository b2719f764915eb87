using System.Diagnostics;
using System.Text.Json;

namespace PiHub.Core.Hub;

/// <summary>
/// An event on the bus. Its JSON (<c>event_type, data, origin, time_fired, context</c>) is built
/// once and shared by every subscriber, so fan-out to many WebSockets costs one serialization.
/// </summary>
public abstract class HubEvent
{
    private byte[]? _json;

    protected HubEvent(string eventType, HubContext context, DateTimeOffset timeFired, string origin)
    {
        EventType = eventType;
        Context = context;
        TimeFired = timeFired;
        Origin = origin;
    }

    public string EventType { get; }

    /// <summary><c>LOCAL</c> for events raised in the hub, <c>REMOTE</c> for events fired through the API.</summary>
    public string Origin { get; }

    public DateTimeOffset TimeFired { get; }

    /// <summary>
    /// <see cref="Stopwatch"/> ticks when the event was raised. A <c>state_changed</c> event is built under the state
    /// machine's lock right after the change is stored, so this is the moment of the commit: the server measures
    /// fan-out latency from it to the moment the frame is handed to each subscriber's socket.
    /// </summary>
    public long RaisedAt { get; } = Stopwatch.GetTimestamp();

    public HubContext Context { get; }

    public ReadOnlySpan<byte> Json => JsonMemory.Span;

    /// <summary>The same JSON as memory, shared (never copied) by every subscriber's send queue.</summary>
    public ReadOnlyMemory<byte> JsonMemory => _json ??= HubJson.ToBytes(this, static (w, e) => e.WriteTo(w));

    /// <summary>Writes the <c>data</c> object.</summary>
    public abstract void WriteData(Utf8JsonWriter writer);

    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("event_type", EventType);
        writer.WritePropertyName("data");
        WriteData(writer);
        writer.WriteString("origin", Origin);
        writer.WriteString("time_fired", HubJson.FormatTime(TimeFired));
        writer.WritePropertyName("context");
        HubJson.WriteContext(writer, Context);
        writer.WriteEndObject();
    }
}

/// <summary>An event with free-form JSON data (fired through the API, webhooks, custom events).</summary>
public sealed class CustomEvent : HubEvent
{
    public CustomEvent(string eventType, JsonElement data, HubContext context, DateTimeOffset timeFired, string origin = "LOCAL")
        : base(eventType, context, timeFired, origin) => Data = data.Clone();

    public JsonElement Data { get; }

    public override void WriteData(Utf8JsonWriter writer) => Data.WriteTo(writer);
}

/// <summary><c>state_changed</c>: fired only when a state or its attributes really change.</summary>
public sealed class StateChangedEvent : HubEvent
{
    public const string Type = "state_changed";

    public StateChangedEvent(string entityId, State? oldState, State? newState, HubContext context, DateTimeOffset timeFired)
        : base(Type, context, timeFired, "LOCAL")
    {
        EntityId = entityId;
        OldState = oldState;
        NewState = newState;
    }

    public string EntityId { get; }

    /// <summary>Null when the entity was just added.</summary>
    public State? OldState { get; }

    /// <summary>Null when the entity was removed.</summary>
    public State? NewState { get; }

    public override void WriteData(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("entity_id", EntityId);
        writer.WritePropertyName("old_state");
        if (OldState is null) writer.WriteNullValue(); else OldState.WriteCachedTo(writer);
        writer.WritePropertyName("new_state");
        if (NewState is null) writer.WriteNullValue(); else NewState.WriteCachedTo(writer);
        writer.WriteEndObject();
    }
}
