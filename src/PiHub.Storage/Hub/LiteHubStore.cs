using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text.RegularExpressions;
using LiteDB;
using LiteDB.Engine;
using Microsoft.Extensions.Logging;
using PiHub.Core;
using PiHub.Core.Hub;
using PiHub.Core.Power;
using PiHub.Storage.Auth;
using PiHub.Storage.Durability;

namespace PiHub.Storage.Hub;

/// <summary>
/// Hub data that is not auth (restored helper states, notifications) in its own file
/// <c>hub.db</c>, so hub churn never touches the auth store. Documents are <c>{_id: key,
/// json: text}</c>, written through the same <see cref="DurableStream"/>s, one at a time on
/// one thread, durable before the task completes. Reads answer from an immutable copy kept beside the
/// file (hub data is small), so a read never waits for the disk or a write. A damaged file is moved
/// aside and the hub starts empty: nothing here is worth refusing to start for.
/// </summary>
public sealed partial class LiteHubStore : IHubStore
{
    private readonly LiteEngine _engine;
    private readonly DurableStream _data;
    private readonly DurableStream _log;
    private readonly StoreLock _lock;
    private readonly WriterThread _writer = new("pihub-hub-store");
    private readonly WriteGate? _gate;
    private readonly ConcurrentDictionary<string, ImmutableDictionary<string, string>> _collections;

    private LiteHubStore(LiteEngine engine, DurableStream data, DurableStream log, StoreLock storeLock, WriteGate? gate,
        ConcurrentDictionary<string, ImmutableDictionary<string, string>> collections)
    {
        _collections = collections;
        _engine = engine;
        _data = data;
        _log = log;
        _lock = storeLock;
        _gate = gate;
    }

    /// <summary>
    /// Opens (or creates) <c>hub.db</c> in <paramref name="directory"/>; <paramref name="durable"/> false only for benchmarks.
    /// While <paramref name="gate"/> is paused, writes fail with a <see cref="HubException"/> coded <see cref="WriteGate.Code"/> carrying a <see cref="StoreRefusedException"/>.
    /// </summary>
    public static LiteHubStore Open(string directory, ILogger logger, TimeProvider time, bool durable = true, WriteGate? gate = null)
    {
        ArgumentNullException.ThrowIfNull(logger);
        var files = new StoreFiles(directory, "hub.db");
        Directory.CreateDirectory(files.Directory);
        var storeLock = StoreLock.Acquire(files.Lock);
        try
        {
            try
            {
                return OpenFiles(files, storeLock, durable, gate);
            }
            catch (Exception ex) when (ex is not IOException || File.Exists(files.Data))
            {
                // Any failure of a file that exists means it is damaged: keep it, start empty.
                var now = time.GetUtcNow();
                foreach (var path in new[] { files.Data, files.Log }.Where(File.Exists))
                {
                    File.Move(path, StoreFiles.AsideName(path, now));
                }

                if (durable) FileSync.SyncDirectory(files.Directory);
                logger.LogError("The hub store {File} was damaged ({Error}); it was moved aside and the hub starts with empty hub data",
                    files.Data, ex.Message);
                return OpenFiles(files, storeLock, durable, gate);
            }
        }
        catch
        {
            storeLock.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> LoadAll(string collection)
    {
        CheckName(collection);
        return _collections.TryGetValue(collection, out var values) ? values : s_empty;
    }

    /// <inheritdoc />
    public Task PutAsync(string collection, string key, string json, CancellationToken cancellationToken = default)
    {
        CheckName(collection);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(json);
        cancellationToken.ThrowIfCancellationRequested();
        return _writer.RunAsync(() =>
        {
            ThrowIfPowerFailing($"save {collection}/{key}");
            var written = _engine.Upsert(collection, [new BsonDocument { ["_id"] = key, ["json"] = json }], BsonAutoId.ObjectId);
            // Only once the write is durable, and only here on the writer thread: reads never see a refused write.
            _collections[collection] = _collections.GetValueOrDefault(collection, s_empty).SetItem(key, json);
            return written;
        });
    }

    /// <inheritdoc />
    public Task DeleteAsync(string collection, string key, CancellationToken cancellationToken = default)
    {
        CheckName(collection);
        ArgumentNullException.ThrowIfNull(key);
        cancellationToken.ThrowIfCancellationRequested();
        return _writer.RunAsync(() =>
        {
            ThrowIfPowerFailing($"delete {collection}/{key}");
            var deleted = _engine.Delete(collection, [new BsonValue(key)]);
            if (_collections.TryGetValue(collection, out var values)) _collections[collection] = values.Remove(key);
            return deleted;
        });
    }

    /// <summary>Moves the log into the data file (idle time, shutdown, power fail).</summary>
    public Task CheckpointAsync() => _writer.RunAsync(_engine.Checkpoint);

    /// <summary>Checkpoints, closes the file and releases its lock.</summary>
    public void Dispose()
    {
        _writer.Invoke(() =>
        {
            _engine.Dispose();
            return 0;
        });
        _writer.Dispose();
        _data.Dispose();
        _log.Dispose();
        _lock.Dispose();
    }

    /// <summary>On the writer thread, right before a write: see <see cref="WriteGate"/> for why there.</summary>
    private void ThrowIfPowerFailing(string what)
    {
        if (_gate?.Refuses("hub", what) == true) throw new HubException(WriteGate.Code, WriteGate.Message,
            new StoreRefusedException("hub", StoreRefusalCodes.PowerFailing, WriteGate.Message));
    }

    private static LiteHubStore OpenFiles(StoreFiles files, StoreLock storeLock, bool durable, WriteGate? gate)
    {
        var isNew = !File.Exists(files.Log);
        var data = new DurableStream(FileSync.OpenReadWrite(files.Data, FileMode.OpenOrCreate), isLog: false, durable);
        var log = new DurableStream(FileSync.OpenReadWrite(files.Log, FileMode.OpenOrCreate), isLog: true, durable);
        if (isNew && durable) FileSync.SyncDirectory(files.Directory);
        LiteEngine? engine = null;
        try
        {
            engine = new LiteEngine(new EngineSettings { DataStream = data, LogStream = log });
            // Read everything once: a damaged page shows up now, not at the first LoadAll, and reads answer from it.
            var collections = new ConcurrentDictionary<string, ImmutableDictionary<string, string>>(StringComparer.Ordinal);
            foreach (var name in engine.Query("$cols", new Query()).ToEnumerable()
                         .Where(c => c["type"] == "user").Select(c => c["name"].AsString).ToList())
            {
                collections[name] = engine.Query(name, new Query()).ToEnumerable()
                    .ToImmutableDictionary(d => d.AsDocument["_id"].AsString, d => d.AsDocument["json"].AsString, StringComparer.Ordinal);
            }

            return new LiteHubStore(engine, data, log, storeLock, gate, collections);
        }
        catch
        {
            if (engine is not null)
            {
                // See EngineQuarantine: a failed engine's finalizers could crash the process.
                EngineQuarantine.Keep(engine);
                engine.Dispose();
            }

            data.Dispose();
            log.Dispose();
            throw;
        }
    }

    private static void CheckName(string collection)
    {
        if (!CollectionName().IsMatch(collection))
        {
            throw new ArgumentException($"Collection name '{collection}' must be letters, digits and '_', starting with a letter.", nameof(collection));
        }
    }

    private static readonly ImmutableDictionary<string, string> s_empty = ImmutableDictionary.Create<string, string>(StringComparer.Ordinal);

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]{0,60}$")]
    private static partial Regex CollectionName();
}
