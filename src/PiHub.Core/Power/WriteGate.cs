namespace PiHub.Core.Power;

/// <summary>
/// The switch every store consults before it commits: open while power is good, closed from a
/// power-fail edge until power has been good for <c>power.recovery_s</c>. Stores check it on
/// their writer thread right before a commit, so a commit that had already begun finishes and
/// everything queued behind it is refused; a flush queued after <see cref="Pause"/> therefore runs
/// after the last accepted commit. Reads never consult it.
/// </summary>
public sealed class WriteGate
{
    /// <summary>The stable error code of a refused change, for REST and WebSocket clients alike.</summary>
    public const string Code = "power_failing";

    /// <summary>The sentence a refused client sees.</summary>
    public const string Message = "power is failing; changes are paused until power is back";

    /// <summary>Distinct refused changes kept per pause (the total is always counted).</summary>
    public const int MaxDistinctRefusals = 20;

    private readonly object _lock = new();
    private readonly Dictionary<(string Store, string What), int> _refused = [];
    private volatile bool _paused;
    private int _refusedTotal;

    /// <summary>True while changes are refused.</summary>
    public bool IsPaused => _paused;

    /// <summary>
    /// Asks whether a change must be refused; when it must, the refusal is noted for the brownout
    /// record. <paramref name="store"/> names the store ("auth", "hub"), <paramref name="what"/> the change.
    /// </summary>
    public bool Refuses(string store, string what)
    {
        if (!_paused) return false;
        lock (_lock)
        {
            // Checked again under the lock: Resume may have run since the unlocked read.
            if (!_paused) return false;
            _refusedTotal++;
            var key = (store, what);
            if (_refused.TryGetValue(key, out var count)) _refused[key] = count + 1;
            else if (_refused.Count < MaxDistinctRefusals) _refused[key] = 1;
            return true;
        }
    }

    /// <summary>Closes the gate: every later <see cref="Refuses"/> answers true.</summary>
    public void Pause()
    {
        lock (_lock)
        {
            if (_paused) return;
            _refused.Clear();
            _refusedTotal = 0;
            _paused = true;
        }
    }

    /// <summary>Opens the gate and returns what was refused while it was closed.</summary>
    public RefusedChanges Resume()
    {
        lock (_lock)
        {
            var refused = Snapshot();
            _paused = false;
            return refused;
        }
    }

    /// <summary>What has been refused since the last <see cref="Pause"/>.</summary>
    public RefusedChanges Refused
    {
        get
        {
            lock (_lock) return Snapshot();
        }
    }

    private RefusedChanges Snapshot() => new(_refusedTotal,
        [.. _refused.OrderByDescending(r => r.Value).ThenBy(r => r.Key.Store, StringComparer.Ordinal)
            .Select(r => new RefusedChange(r.Key.Store, r.Key.What, r.Value))]);
}

/// <summary>Changes refused during one pause: the total and up to <see cref="WriteGate.MaxDistinctRefusals"/> kinds.</summary>
public sealed record RefusedChanges(int Total, IReadOnlyList<RefusedChange> Items)
{
    public static readonly RefusedChanges None = new(0, []);
}

/// <summary>One kind of refused change and how often it was tried.</summary>
public sealed record RefusedChange(string Store, string What, int Count);
