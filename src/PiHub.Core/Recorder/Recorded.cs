using PiHub.Core.Hub;

namespace PiHub.Core.Recorder;

/// <summary>
/// One thing the recorder keeps: a state (<see cref="StateRecord"/>) or an event
/// (<see cref="EventRecord"/>), with the context that caused it.
/// </summary>
/// <param name="Time">When it happened: <c>last_updated</c> of a state, <c>time_fired</c> of an event.</param>
/// <param name="Context">Home Assistant's context: id, parent id and the user who caused it.</param>
/// <param name="ClientName">
/// PiHub's addition: the name of the token or client that made the request (a long-lived token's
/// name such as "Tasker", or an app's client id), when the change came through the API.
/// </param>
public abstract record Recorded(DateTimeOffset Time, HubContext Context, string? ClientName)
{
    /// <summary>Order of recording in this process; 0 for records read back from the store.</summary>
    public long Sequence { get; init; }
}

/// <summary>What a state record stands for.</summary>
public enum StateRecordKind : byte
{
    /// <summary>A <c>state_changed</c> event: the entity got this state.</summary>
    Changed = 1,

    /// <summary>
    /// A restatement of a state the entity already had, written at start-up and at the start of
    /// each day so the state at any moment can be found without reading older days.
    /// </summary>
    Baseline = 2,

    /// <summary>The entity was removed.</summary>
    Removed = 3,
}

/// <summary>A state of one entity, as <c>state_changed</c> carried it.</summary>
/// <param name="EntityId">The entity.</param>
/// <param name="State">The state string.</param>
/// <param name="AttributesJson">The attributes object as JSON text.</param>
/// <param name="LastChanged">When the state string last changed.</param>
/// <param name="LastUpdated">When the state or its attributes last changed (the record's time for a change).</param>
/// <param name="Context">What caused it.</param>
/// <param name="ClientName">The token or client that made it, when known.</param>
/// <param name="Kind">A change, a restatement or a removal.</param>
/// <param name="IsNew">True when the entity had no state before (Home Assistant's old_state null).</param>
public sealed record StateRecord(
    string EntityId,
    string State,
    string AttributesJson,
    DateTimeOffset LastChanged,
    DateTimeOffset LastUpdated,
    HubContext Context,
    string? ClientName,
    StateRecordKind Kind = StateRecordKind.Changed,
    bool IsNew = false) : Recorded(LastUpdated, Context, ClientName)
{
    /// <summary>An empty attributes object.</summary>
    public const string EmptyAttributes = "{}";

    public string Domain => Hub.EntityId.DomainOf(EntityId);

    /// <summary>True when the state string changed (not only attributes): Home Assistant's last_changed == last_updated.</summary>
    public bool StateChanged => LastChanged == LastUpdated;
}

/// <summary>An event other than <c>state_changed</c> (call_service, logbook_entry, custom events).</summary>
/// <param name="EventType">The event type.</param>
/// <param name="DataJson">The event's <c>data</c> object as JSON text.</param>
/// <param name="Origin"><c>LOCAL</c> or <c>REMOTE</c>.</param>
/// <param name="TimeFired">When it was fired.</param>
/// <param name="Context">What caused it.</param>
/// <param name="ClientName">The token or client that fired it, when known.</param>
public sealed record EventRecord(
    string EventType,
    string DataJson,
    string Origin,
    DateTimeOffset TimeFired,
    HubContext Context,
    string? ClientName) : Recorded(TimeFired, Context, ClientName);
