namespace PiHub.Core.Recorder;

/// <summary>
/// A history request as Home Assistant's <c>/api/history/period</c> and
/// <c>history/history_during_period</c> take it.
/// </summary>
/// <param name="Start">Start of the period.</param>
/// <param name="End">End of the period.</param>
/// <param name="EntityIds">In the order wanted back; null for every recorded entity.</param>
/// <param name="IncludeStartTimeState">Start each list with the state at <paramref name="Start"/>, its times set to the start.</param>
/// <param name="SignificantChangesOnly">Leave out attribute-only updates, except in climate-like domains.</param>
/// <param name="MinimalResponse">Rows after the first carry only the state and its time, and repeats are dropped.</param>
/// <param name="NoAttributes">Leave attributes out.</param>
public sealed record HistoryQuery(
    DateTimeOffset Start,
    DateTimeOffset End,
    IReadOnlyList<string>? EntityIds,
    bool IncludeStartTimeState = true,
    bool SignificantChangesOnly = true,
    bool MinimalResponse = false,
    bool NoAttributes = false)
{
    /// <summary>Domains whose attribute-only updates count as significant (Home Assistant's SIGNIFICANT_DOMAINS).</summary>
    public static readonly IReadOnlySet<string> SignificantDomains =
        new HashSet<string>(["climate", "device_tracker", "humidifier", "thermostat", "water_heater"], StringComparer.Ordinal);

    /// <summary>Domains that keep full rows even with minimal_response (Home Assistant's NEED_ATTRIBUTE_DOMAINS).</summary>
    public static readonly IReadOnlySet<string> NeedAttributeDomains =
        new HashSet<string>(["climate", "humidifier", "input_datetime", "thermostat", "water_heater"], StringComparer.Ordinal);

    /// <summary>The store read this query needs.</summary>
    public HistoryRead ToRead()
    {
        HashSet<string>? wanted = EntityIds is null ? null : new HashSet<string>(EntityIds, StringComparer.Ordinal);
        return new HistoryRead(Start, End, wanted, StartStates: IncludeStartTimeState);
    }
}

/// <summary>One row of an entity's history.</summary>
/// <param name="State">The state string.</param>
/// <param name="Attributes">Attributes as JSON text; null when the row leaves them out.</param>
/// <param name="LastChanged">When the state string last changed.</param>
/// <param name="LastUpdated">When the state or its attributes last changed.</param>
/// <param name="Minimal">A minimal_response row: only the state and its time.</param>
public readonly record struct HistoryRow(string State, string? Attributes, DateTimeOffset LastChanged, DateTimeOffset LastUpdated, bool Minimal);

/// <summary>The rows of one entity.</summary>
public sealed record EntityHistory(string EntityId, IReadOnlyList<HistoryRow> Rows);
