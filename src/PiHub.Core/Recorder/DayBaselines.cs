namespace PiHub.Core.Recorder;

/// <summary>
/// Keeps the last recorded state of every entity and, when a batch crosses into a new UTC day,
/// restates them all at the start of that day (<see cref="StateRecordKind.Baseline"/>). A reader
/// then finds the state at any moment by reading one day from its start, never older days.
/// Used by the commit loop only (one thread at a time).
/// </summary>
internal sealed class DayBaselines
{
    private Dictionary<string, StateRecord> _last = new(StringComparer.Ordinal);
    private DateOnly? _day;

    /// <summary>UTC midnight that starts the day of <paramref name="time"/>.</summary>
    public static DateTimeOffset DayStart(DateTimeOffset time) => new(time.UtcDateTime.Date, TimeSpan.Zero);

    /// <summary>
    /// The batch as it is to be written: day baselines inserted before the first record of each
    /// new day. <paramref name="accept"/> makes the new state current; call it once the batch is
    /// on the medium (a failed write is retried later from the old state).
    /// </summary>
    public List<Recorded> Prepare(IReadOnlyList<Recorded> batch, out Action accept)
    {
        var last = new Dictionary<string, StateRecord>(_last, StringComparer.Ordinal);
        var day = _day;
        var output = new List<Recorded>(batch.Count + 8);
        foreach (var item in batch)
        {
            var itemDay = DateOnly.FromDateTime(item.Time.UtcDateTime);
            if (day is null || itemDay > day)
            {
                if (day is not null)
                {
                    var start = DayStart(item.Time);
                    foreach (var state in last.Values.OrderBy(s => s.EntityId, StringComparer.Ordinal))
                    {
                        output.Add(state with { Time = start, Kind = StateRecordKind.Baseline, IsNew = false, Sequence = 0 });
                    }
                }

                day = itemDay;
            }

            output.Add(item);
            if (item is StateRecord s)
            {
                if (s.Kind == StateRecordKind.Removed) last.Remove(s.EntityId);
                else last[s.EntityId] = s;
            }
        }

        accept = () =>
        {
            _last = last;
            _day = day;
        };
        return output;
    }
}
