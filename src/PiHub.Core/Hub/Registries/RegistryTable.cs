using System.Text.Json;

namespace PiHub.Core.Hub.Registries;

/// <summary>
/// One registry's stamps (id, created_at, modified_at, fields) in a hub-store collection. Only
/// changes are written, so a start-up with an unchanged config writes nothing (SD-card wear).
/// Callers serialize access (<see cref="HubRegistries"/> lets one change at a time through its gate).
/// </summary>
internal sealed class RegistryTable
{
    private readonly IHubStore _store;
    private readonly string _collection;
    private readonly Dictionary<string, RegistryStamp> _stamps = new(StringComparer.Ordinal);

    public RegistryTable(IHubStore store, string collection)
    {
        _store = store;
        _collection = collection;
        foreach (var (key, json) in store.LoadAll(collection))
        {
            if (RegistryStamp.TryParse(json, out var stamp)) _stamps[key] = stamp;
        }
    }

    public IReadOnlyCollection<string> Keys => _stamps.Keys;

    public RegistryStamp? Get(string key) => _stamps.GetValueOrDefault(key);

    /// <summary>
    /// Creates or updates an item; null when nothing changed. <paramref name="fixedId"/> is the id for a
    /// new item (areas use their config id); null makes a random one, as Home Assistant's uuid hex.
    /// Durable before it returns: a refused write throws and changes nothing.
    /// </summary>
    public async Task<RegistryChange?> SetAsync(string key, JsonElement fields, DateTimeOffset now, string? fixedId = null)
    {
        if (_stamps.TryGetValue(key, out var old))
        {
            if (Diff(old.Fields, fields) is not { } changes) return null;
            var updated = old with { ModifiedAt = now, Fields = fields };
            await SaveAsync(key, updated).ConfigureAwait(false);
            return new RegistryChange(RegistryChange.Update, updated, changes);
        }

        var created = new RegistryStamp(fixedId ?? Guid.NewGuid().ToString("N"), now, now, fields);
        await SaveAsync(key, created).ConfigureAwait(false);
        return new RegistryChange(RegistryChange.Create, created);
    }

    /// <summary>Forgets an item; null when it was not there.</summary>
    public async Task<RegistryChange?> RemoveAsync(string key)
    {
        if (!_stamps.TryGetValue(key, out var old)) return null;
        await _store.DeleteAsync(_collection, key).ConfigureAwait(false);
        _stamps.Remove(key);
        return new RegistryChange(RegistryChange.Remove, old);
    }

    /// <summary><c>{field: old value}</c> for every field that differs (null for a field that is new); null when none do.</summary>
    internal static JsonElement? Diff(JsonElement old, JsonElement current)
    {
        var names = old.EnumerateObject().Select(p => p.Name)
            .Union(current.EnumerateObject().Select(p => p.Name), StringComparer.Ordinal).ToList();
        var changed = names.Where(n => !SameValue(old, current, n)).ToList();
        if (changed.Count == 0) return null;
        return RegistryFields.Object((changed, old), static (w, s) =>
        {
            foreach (var name in s.changed)
            {
                if (s.old.TryGetProperty(name, out var value))
                {
                    w.WritePropertyName(name);
                    value.WriteTo(w);
                }
                else
                {
                    w.WriteNull(name);
                }
            }
        });
    }

    private static bool SameValue(JsonElement a, JsonElement b, string name)
    {
        var hasA = a.TryGetProperty(name, out var va);
        var hasB = b.TryGetProperty(name, out var vb);
        return hasA == hasB && (!hasA || JsonElement.DeepEquals(va, vb));
    }

    private async Task SaveAsync(string key, RegistryStamp stamp)
    {
        // The write comes first: a stamp the store refused must not be served as remembered.
        await _store.PutAsync(_collection, key, stamp.ToJson()).ConfigureAwait(false);
        _stamps[key] = stamp;
    }
}
