using LiteDB;
using LiteDB.Engine;
using Microsoft.Extensions.Logging;
using PiHub.Core.Hub;
using PiHub.Storage.Auth;
using PiHub.Storage.Durability;

namespace PiHub.Storage.Hub;

/// <summary>
/// Hub data that is not auth (restored helper states, notifications) in its own LiteDB file,
/// <c>hub.db</c>, written through the same durable streams as the auth store: a write is on the
/// medium before the task completes. Documents are <c>{_id: key, json: text}</c>, mapped by hand.
/// A damaged hub file is moved aside and started afresh: losing a helper's last state must never
/// stop the hub from starting.
/// </summary>
public sealed class LiteHubStore : IHubStore
{
    private readonly LiteEngine _engine;
    private readonly object _gate = new();

    private LiteHubStore(LiteEngine engine) => _engine = engine;

    /// <summary>Opens (or creates) the file at <paramref name="path"/>; its log sits beside it.</summary>
    public static LiteHubStore Open(string path, ILogger logger, bool durable = true, TimeProvider? time = null)
    {
        try
        {
            return new LiteHubStore(OpenEngine(path, durable));
        }
        catch (Exception ex) when (ex is LiteException or IOException or InvalidOperationException or InvalidCastException or ArgumentException or IndexOutOfRangeException)
        {
            var aside = StoreFiles.AsideName(path, (time ?? TimeProvider.System).GetUtcNow());
            logger.LogError(ex, "The hub data file {Path} is damaged; moved it aside to {Aside} and started a new one. Helper states and notifications start fresh; users and tokens are not affected", path, aside);
            File.Move(path, aside);
            var log = LogPath(path);
            if (File.Exists(log)) File.Move(log, aside + "-log");
            FileSync.SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            return new LiteHubStore(OpenEngine(path, durable));
        }
    }

    private static string LogPath(string path) =>
        Path.Combine(Path.GetDirectoryName(path) ?? ".", Path.GetFileNameWithoutExtension(path) + "-log" + Path.GetExtension(path));

    private static LiteEngine OpenEngine(string path, bool durable)
    {
        var created = !File.Exists(path);
        var data = new DurableStream(FileSync.OpenReadWrite(path, FileMode.OpenOrCreate), isLog: false, durable);
        var log = new DurableStream(FileSync.OpenReadWrite(LogPath(path), FileMode.OpenOrCreate), isLog: true, durable);
        try
        {
            var engine = new LiteEngine(new EngineSettings { DataStream = data, LogStream = log });
            if (created) FileSync.SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            return engine;
        }
        catch
        {
            data.Dispose();
            log.Dispose();
            throw;
        }
    }

    public IReadOnlyDictionary<string, string> LoadAll(string collection)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        lock (_gate)
        {
            using var reader = _engine.Query(collection, new Query());
            while (reader.Read())
            {
                var doc = reader.Current.AsDocument;
                if (doc["_id"].IsString && doc["json"].IsString) result[doc["_id"].AsString] = doc["json"].AsString;
            }
        }

        return result;
    }

    public Task PutAsync(string collection, string key, string json, CancellationToken cancellationToken = default)
    {
        var doc = new BsonDocument { ["_id"] = key, ["json"] = json };
        lock (_gate)
        {
            _engine.Upsert(collection, [doc], BsonAutoId.ObjectId);
        }

        return Task.CompletedTask;
    }

    public Task DeleteAsync(string collection, string key, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _engine.Delete(collection, [new BsonValue(key)]);
        }

        return Task.CompletedTask;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _engine.Dispose();
        }
    }
}
