using System.Collections.Concurrent;
using PiHub.Core.Hub;

namespace PiHub.Testing;

/// <summary>An <see cref="IHubStore"/> in memory, for core tests; can be told to fail writes.</summary>
public sealed class InMemoryHubStore : IHubStore
{
    private readonly ConcurrentDictionary<(string, string), string> _items = new();

    /// <summary>When set, every write throws this (a full disk, say).</summary>
    public Exception? FailWritesWith { get; set; }

    public int Writes { get; private set; }

    public IReadOnlyDictionary<string, string> LoadAll(string collection) =>
        _items.Where(kv => kv.Key.Item1 == collection).ToDictionary(kv => kv.Key.Item2, kv => kv.Value);

    public Task PutAsync(string collection, string key, string json, CancellationToken cancellationToken = default)
    {
        if (FailWritesWith is not null) throw FailWritesWith;
        Writes++;
        _items[(collection, key)] = json;
        return Task.CompletedTask;
    }

    public Task DeleteAsync(string collection, string key, CancellationToken cancellationToken = default)
    {
        if (FailWritesWith is not null) throw FailWritesWith;
        Writes++;
        _items.TryRemove((collection, key), out _);
        return Task.CompletedTask;
    }

    public void Dispose()
    {
    }
}
