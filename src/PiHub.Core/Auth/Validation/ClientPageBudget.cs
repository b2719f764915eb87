namespace PiHub.Core.Auth.Validation;

/// <summary>
/// How many client pages each client (its <see cref="ClientBudgetKey"/>) may have the hub reading at once. A page read
/// is an outgoing request that may take its whole <see cref="ClientPageLimits.Timeout"/>, started before any login flow
/// exists, so without this one address could hold any number of them open with made-up client ids (each one a new page,
/// past the cache). A person logging in needs one.
/// </summary>
public sealed class ClientPageBudget
{
    /// <summary>Page reads one client may have running at once.</summary>
    public const int MaxReadsInFlight = 2;

    private readonly Dictionary<string, int> _inFlight = new(StringComparer.Ordinal);

    /// <summary>Takes a read for <paramref name="key"/>; false when it has <see cref="MaxReadsInFlight"/> running.</summary>
    public bool TryEnter(string key)
    {
        lock (_inFlight)
        {
            var running = _inFlight.GetValueOrDefault(key);
            if (running >= MaxReadsInFlight) return false;
            _inFlight[key] = running + 1;
            return true;
        }
    }

    /// <summary>Gives back a read taken with <see cref="TryEnter"/>.</summary>
    public void Exit(string key)
    {
        lock (_inFlight)
        {
            var running = _inFlight.GetValueOrDefault(key) - 1;
            if (running > 0) _inFlight[key] = running;
            else _inFlight.Remove(key);
        }
    }
}
