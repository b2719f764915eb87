namespace PiHub.Core.Recorder;

/// <summary>
/// One logbook line, with Home Assistant's fields: a state change (<see cref="State"/> set) or a
/// <c>logbook_entry</c> event (<see cref="Message"/> set), plus the context that explains it.
/// </summary>
public sealed class LogbookEntry
{
    public required DateTimeOffset When { get; init; }

    public string? EntityId { get; init; }

    public string? State { get; init; }

    /// <summary>The entity's friendly name (REST only in Home Assistant), or a logbook_entry's name.</summary>
    public string? Name { get; init; }

    public string? Icon { get; init; }

    public string? Message { get; init; }

    public string? Domain { get; init; }

    /// <summary>True for a logbook_entry event (its fields are written even when null, as Home Assistant does).</summary>
    public bool IsLogbookEntry { get; init; }

    /// <summary>PiHub's addition: the context id, so a client can ask for everything one action did.</summary>
    public string? ContextId { get; init; }

    public string? ContextUserId { get; set; }

    /// <summary>PiHub's addition: the name of the user behind <see cref="ContextUserId"/>.</summary>
    public string? ContextUserName { get; set; }

    /// <summary>PiHub's addition: the token or client that made the change ("Tasker").</summary>
    public string? ContextClientName { get; set; }

    public string? ContextEntityId { get; set; }

    public string? ContextEntityIdName { get; set; }

    public string? ContextState { get; set; }

    public string? ContextEventType { get; set; }

    public string? ContextDomain { get; set; }

    public string? ContextService { get; set; }
}

/// <summary>A logbook request as <c>/api/logbook</c> and <c>logbook/get_events</c> take it.</summary>
/// <param name="Start">Start of the period.</param>
/// <param name="End">End of the period.</param>
/// <param name="EntityIds">Only these entities (and logbook_entry events about them); null for all.</param>
/// <param name="ContextId">Only entries of this context.</param>
public sealed record LogbookQuery(DateTimeOffset Start, DateTimeOffset End, IReadOnlyList<string>? EntityIds = null, string? ContextId = null)
{
    /// <summary>The store read this query needs: the states of its entities and every event (for context).</summary>
    public HistoryRead ToRead()
    {
        HashSet<string>? wanted = EntityIds is null ? null : new HashSet<string>(EntityIds, StringComparer.Ordinal);
        return new HistoryRead(Start, End, wanted, StartStates: false, States: true, Events: true);
    }
}
