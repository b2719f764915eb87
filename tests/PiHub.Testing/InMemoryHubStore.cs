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

    /// <summary>When set, every write waits for this task before it lands (a slow SD card, say).</summary>
    public Task? HoldWritesUntil { get; set; }

    public IReadOnlyDictionary<string, string> LoadAll(string collection) =>
        _items.Where(kv => kv.Key.Item1 == collection).ToDictionary(kv => kv.Key.Item2, kv => kv.Value);

    public async Task PutAsync(string collection, string key, string json, CancellationToken cancellationToken = default)
    {
        if (FailWritesWith is not null) throw FailWritesWith;
        if (HoldWritesUntil is { } hold) await hold.ConfigureAwait(false);
        Writes++;
        _items[(collection, key)] = json;
    }

    public async Task DeleteAsync(string collection, string key, CancellationToken cancellationToken = default)
    {
        if (FailWritesWith is not null) throw FailWritesWith;
        if (HoldWritesUntil is { } hold) await hold.ConfigureAwait(false);
        Writes++;
        _items.TryRemove((collection, key), out _);
    }

    public void Dispose()
    {
    }
}
