using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace PiHub.Core.Auth.Tokens;

/// <summary>
/// A bounded in-memory table of short-lived items (login flows, auth codes). Expired items are
/// pruned when space runs out; a full table refuses new items rather than grow.
/// </summary>
internal sealed class ExpiringTable<T>
    where T : class
{
    private readonly ConcurrentDictionary<string, (T Item, DateTimeOffset ExpiresAt)> _items = new(StringComparer.Ordinal);
    private readonly int _capacity;

    public ExpiringTable(int capacity) => _capacity = capacity;

    public int Count => _items.Count;

    /// <summary>Adds an item; false when the table is full even after pruning.</summary>
    public bool TryAdd(string key, T item, DateTimeOffset expiresAt, DateTimeOffset now)
    {
        if (_items.Count >= _capacity)
        {
            foreach (var (k, v) in _items)
            {
                if (v.ExpiresAt <= now) _items.TryRemove(k, out _);
            }

            if (_items.Count >= _capacity) return false;
        }

        return _items.TryAdd(key, (item, expiresAt));
    }

    /// <summary>Finds a live item; an expired one is removed and not returned.</summary>
    public bool TryGet(string key, DateTimeOffset now, [NotNullWhen(true)] out T? item)
    {
        item = null;
        if (!_items.TryGetValue(key, out var entry)) return false;
        if (entry.ExpiresAt <= now)
        {
            _items.TryRemove(key, out _);
            return false;
        }

        item = entry.Item;
        return true;
    }

    /// <summary>Removes and returns an item (single use); expired items are removed but not returned.</summary>
    public bool TryTake(string key, DateTimeOffset now, [NotNullWhen(true)] out T? item)
    {
        item = null;
        if (!_items.TryRemove(key, out var entry) || entry.ExpiresAt <= now) return false;
        item = entry.Item;
        return true;
    }

    public void Remove(string key) => _items.TryRemove(key, out _);
}
