namespace PiHub.Core.Recorder;

/// <summary>A read of the history store.</summary>
/// <param name="From">Start of the period (inclusive).</param>
/// <param name="To">End of the period (exclusive).</param>
/// <param name="EntityIds">Which entities' states to return; null for every entity.</param>
/// <param name="StartStates">Also return each entity's last state before <paramref name="From"/>.</param>
/// <param name="States">Return the state records inside the period.</param>
/// <param name="Events">Return the events inside the period.</param>
public sealed record HistoryRead(
    DateTimeOffset From,
    DateTimeOffset To,
    IReadOnlySet<string>? EntityIds,
    bool StartStates = true,
    bool States = true,
    bool Events = false)
{
    /// <summary>True when <paramref name="entityId"/> is asked for.</summary>
    public bool Wants(string entityId) => EntityIds is null || EntityIds.Contains(entityId);
}

/// <summary>What a read found.</summary>
public sealed class HistoryData
{
    /// <summary>
    /// Records kept at most in one answer (about 50 MB): ten days of every entity would not fit a
    /// Pi's memory, so an answer that large stops at this many, oldest first.
    /// </summary>
    public const int MaxItems = 250_000;

    /// <summary>True when <see cref="Items"/> stopped at <see cref="MaxItems"/>.</summary>
    public bool Truncated { get; private set; }

    /// <summary>Each entity's last state before the period (removed entities left out).</summary>
    public Dictionary<string, StateRecord> StartStates { get; } = new(StringComparer.Ordinal);

    /// <summary>State and event records inside the period, in the order they were recorded.</summary>
    public List<Recorded> Items { get; } = [];

    /// <summary>Adds a record inside the period, unless the answer is full.</summary>
    public void Add(Recorded item)
    {
        if (Items.Count < MaxItems) Items.Add(item);
        else Truncated = true;
    }

    /// <summary>Applies a record that lies before the period to <see cref="StartStates"/>.</summary>
    public void ApplyBefore(StateRecord record)
    {
        if (record.Kind == StateRecordKind.Removed) StartStates.Remove(record.EntityId);
        else StartStates[record.EntityId] = record;
    }
}
