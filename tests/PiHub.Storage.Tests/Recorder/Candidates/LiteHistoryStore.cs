using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LiteDB;
using LiteDB.Engine;
using Microsoft.Extensions.Logging;
using PiHub.Core.Hub;
using PiHub.Core.Recorder;
using PiHub.Storage.Auth;
using PiHub.Storage.Durability;
using PiHub.Storage.Recorder;

namespace PiHub.Storage.Tests.Recorder.Candidates;

/// <summary>
/// The LiteDB candidate for the history store, measured against <see cref="DayLogHistoryStore"/> and
/// not chosen (HistoryStoreBenchmark.cs: about 25 times the bytes written per hour, a 13 times
/// larger file, slower day queries). Kept here, beside the benchmark, so the comparison can be run
/// again; the product ships only the day log. <c>history.db</c> written
/// through the same <see cref="DurableStream"/>s as the auth store, one transaction per commit.
/// States carry an <c>et</c> key (entity id + zero-padded time) so one entity's day is one index
/// range; attributes are kept once per distinct JSON in <c>attrs</c>. A damaged file is moved aside
/// and a fresh one started. Every engine call runs on one thread (LiteDB binds transactions to it).
/// </summary>
internal sealed class LiteHistoryStore : IHistoryStore
{
    private const string States = "states";
    private const string Events = "events";
    private const string Attributes = "attrs";

    private readonly LiteEngine _engine;
    private readonly DurableStream _data;
    private readonly DurableStream _log;
    private readonly WriterThread _writer;
    private readonly HashSet<long> _knownAttributes = [];
    private readonly Dictionary<long, string> _attributeCache = [];

    private LiteHistoryStore(LiteEngine engine, DurableStream data, DurableStream log, WriterThread writer, string? report)
    {
        _engine = engine;
        _data = data;
        _log = log;
        _writer = writer;
        StartupReport = report;
    }

    /// <inheritdoc />
    public string Name => "LiteDB";

    /// <inheritdoc />
    public string? StartupReport { get; }

    /// <inheritdoc />
    public long SizeBytes => _data.Length + _log.Length;

    /// <summary>Opens (creating) <c>history.db</c> in <paramref name="directory"/>; a damaged file is moved aside.</summary>
    public static LiteHistoryStore Open(string directory, ILogger logger, TimeProvider time, bool durable = true)
    {
        var files = new StoreFiles(directory, "history.db");
        Directory.CreateDirectory(files.Directory);
        try
        {
            return Open(FileSync.OpenReadWrite(files.Data, FileMode.OpenOrCreate), FileSync.OpenReadWrite(files.Log, FileMode.OpenOrCreate), durable, null);
        }
        catch (Exception ex) when (ex is not IOException || File.Exists(files.Data))
        {
            var now = time.GetUtcNow();
            var moved = new List<string>();
            foreach (var path in new[] { files.Data, files.Log }.Where(File.Exists))
            {
                var aside = StoreFiles.AsideName(path, now);
                File.Move(path, aside);
                moved.Add(Path.GetFileName(aside));
            }

            if (durable) FileSync.SyncDirectory(files.Directory);
            logger.LogError("History store {File} was damaged ({Error}); moved aside", files.Data, ex.Message);
            return Open(FileSync.OpenReadWrite(files.Data, FileMode.OpenOrCreate), FileSync.OpenReadWrite(files.Log, FileMode.OpenOrCreate), durable,
                $"The history store history.db was damaged ({ex.Message}); it was moved aside as {string.Join(", ", moved)} and a fresh one started.");
        }
    }

    /// <summary>Opens LiteDB over two streams it takes ownership of (files, or a simulated medium in tests).</summary>
    internal static LiteHistoryStore Open(Stream data, Stream log, bool durable, string? report)
    {
        var dataStream = new DurableStream(data, isLog: false, durable);
        var logStream = new DurableStream(log, isLog: true, durable);
        var writer = new WriterThread("pihub-history-store");
        try
        {
            var engine = writer.RunAsync(() =>
            {
                var e = new LiteEngine(new EngineSettings { DataStream = dataStream, LogStream = logStream });
                e.EnsureIndex(States, "t", BsonExpression.Create("$.t"), false);
                e.EnsureIndex(States, "et", BsonExpression.Create("$.et"), false);
                e.EnsureIndex(Events, "t", BsonExpression.Create("$.t"), false);
                return e;
            }).GetAwaiter().GetResult();
            var store = new LiteHistoryStore(engine, dataStream, logStream, writer, report);
            writer.RunAsync(() =>
            {
                foreach (var doc in engine.Query(Attributes, new Query()).ToEnumerable()) store._knownAttributes.Add(doc["_id"].AsInt64);
                return 0;
            }).GetAwaiter().GetResult();
            return store;
        }
        catch
        {
            writer.Dispose();
            dataStream.Dispose();
            logStream.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void Append(IReadOnlyList<Recorded> batch) => _writer.RunAsync(() =>
    {
        var states = new List<BsonDocument>();
        var events = new List<BsonDocument>();
        var attributes = new List<BsonDocument>();
        var added = new List<long>();
        foreach (var item in batch)
        {
            if (item is StateRecord s)
            {
                var doc = Common(s);
                doc["e"] = s.EntityId;
                doc["et"] = Key(s.EntityId, DayLogFormat.ToMicros(s.Time));
                doc["k"] = (int)s.Kind;
                doc["s"] = s.State;
                doc["lu"] = DayLogFormat.ToMicros(s.LastUpdated);
                doc["lc"] = DayLogFormat.ToMicros(s.LastChanged);
                if (s.IsNew) doc["new"] = true;
                if (s.AttributesJson != StateRecord.EmptyAttributes)
                {
                    var hash = Hash(s.AttributesJson);
                    doc["a"] = hash;
                    if (!_knownAttributes.Contains(hash) && !added.Contains(hash))
                    {
                        added.Add(hash);
                        attributes.Add(new BsonDocument { ["_id"] = hash, ["j"] = s.AttributesJson });
                    }
                }

                states.Add(doc);
            }
            else if (item is EventRecord e)
            {
                var doc = Common(e);
                doc["y"] = e.EventType;
                doc["d"] = e.DataJson;
                doc["o"] = e.Origin;
                events.Add(doc);
            }
        }

        _engine.BeginTrans();
        try
        {
            if (attributes.Count > 0) _engine.Insert(Attributes, attributes, BsonAutoId.Int64);
            if (states.Count > 0) _engine.Insert(States, states, BsonAutoId.Int64);
            if (events.Count > 0) _engine.Insert(Events, events, BsonAutoId.Int64);
            _engine.Commit();
        }
        catch
        {
            try
            {
                _engine.Rollback();
            }
            catch (Exception)
            {
                // The engine may already be closed by the failure.
            }

            throw;
        }

        _knownAttributes.UnionWith(added);
        return 0;
    }).GetAwaiter().GetResult();

    /// <summary>Reads live on the writer thread (a benchmark candidate: not a capture, so a read sees later commits too).</summary>
    public Func<HistoryRead, HistoryData> CaptureReader() => Read;

    /// <inheritdoc />
    public HistoryData Read(HistoryRead request) => _writer.RunAsync(() =>
    {
        var data = new HistoryData();
        var from = DayLogFormat.ToMicros(request.From);
        var to = DayLogFormat.ToMicros(request.To);
        if (request.EntityIds is { } ids)
        {
            // One index range per entity (its "et" keys), and one seek back for its state at the start.
            // BETWEEN, not two comparisons: LiteDB uses an index for one term only, so ">= a AND < b"
            // would read from a to the end of the index.
            foreach (var id in ids)
            {
                if (request.StartStates)
                {
                    var last = StateDocs("$.et BETWEEN @0 AND @1", Key(id, long.MinValue + 1), Key(id, from - 1), "$.et", Query.Descending, 1).FirstOrDefault();
                    if (last is not null) HistoryRecorder.Merge(data, request, ToState(last));
                }

                foreach (var doc in StateDocs("$.et BETWEEN @0 AND @1", Key(id, from), Key(id, to - 1), "$.et")) HistoryRecorder.Merge(data, request, ToState(doc));
            }

            data.Items.Sort(static (a, b) => a.Time.CompareTo(b.Time));
        }
        else
        {
            var lower = request.StartStates ? StartScanFrom(from) : from;
            foreach (var doc in StateDocs("$.t BETWEEN @0 AND @1", lower, to - 1, "$.t")) HistoryRecorder.Merge(data, request, ToState(doc));
        }

        if (request.Events)
        {
            var query = new Query { OrderBy = BsonExpression.Create("$.t") };
            query.Where.Add(BsonExpression.Create("$.t BETWEEN @0 AND @1", from, to - 1));
            foreach (var doc in _engine.Query(Events, query).ToEnumerable().Select(v => v.AsDocument))
            {
                data.Add(new EventRecord(doc["y"].AsString, doc["d"].AsString, doc["o"].AsString, DayLogFormat.FromMicros(doc["t"].AsInt64),
                    Context(doc), doc["n"].IsNull ? null : doc["n"].AsString));
            }

            data.Items.Sort(static (a, b) => a.Time.CompareTo(b.Time));
        }

        return data;
    }).GetAwaiter().GetResult();

    private IEnumerable<BsonDocument> StateDocs(string where, BsonValue low, BsonValue high, string orderBy, int order = Query.Ascending, int limit = int.MaxValue)
    {
        var query = new Query { OrderBy = BsonExpression.Create(orderBy), Order = order, Limit = limit };
        query.Where.Add(BsonExpression.Create(where, low, high));
        return _engine.Query(States, query).ToEnumerable().Select(v => v.AsDocument);
    }

    /// <summary>The time of the newest day-start baseline at or before <paramref name="from"/>: reading from there finds every state at the start.</summary>
    private long StartScanFrom(long from)
    {
        var query = new Query { OrderBy = BsonExpression.Create("$.t"), Order = Query.Descending };
        query.Where.Add(BsonExpression.Create("$.t <= @0 AND $.k = @1", from, (int)StateRecordKind.Baseline));
        foreach (var doc in _engine.Query(States, query).ToEnumerable().Select(v => v.AsDocument))
        {
            var t = doc["t"].AsInt64;
            if (t % (86_400L * 1_000_000) == 0) return t;
        }

        return long.MinValue;
    }

    private StateRecord ToState(BsonDocument doc)
    {
        var attributes = StateRecord.EmptyAttributes;
        if (!doc["a"].IsNull)
        {
            var hash = doc["a"].AsInt64;
            if (!_attributeCache.TryGetValue(hash, out var json))
            {
                json = _engine.Query(Attributes, new Query { Where = { BsonExpression.Create("_id = @0", hash) } }).ToEnumerable().First()["j"].AsString;
                if (_attributeCache.Count > 4096) _attributeCache.Clear();
                _attributeCache[hash] = json;
            }

            attributes = json;
        }

        return new StateRecord(doc["e"].AsString, doc["s"].AsString, attributes, DayLogFormat.FromMicros(doc["lc"].AsInt64),
            DayLogFormat.FromMicros(doc["lu"].AsInt64), Context(doc), doc["n"].IsNull ? null : doc["n"].AsString,
            (StateRecordKind)doc["k"].AsInt32, doc["new"].IsNull ? false : doc["new"].AsBoolean)
        {
            Time = DayLogFormat.FromMicros(doc["t"].AsInt64),
        };
    }

    /// <inheritdoc />
    public string PurgeBefore(DateTimeOffset cutoff) => _writer.RunAsync(() =>
    {
        var t = DayLogFormat.ToMicros(DayBaselinesStart(cutoff));
        var removed = _engine.DeleteMany(States, BsonExpression.Create("$.t < @0", t)) + _engine.DeleteMany(Events, BsonExpression.Create("$.t < @0", t));
        if (removed > 0) _engine.Checkpoint();
        return removed == 0 ? "" : $"deleted {removed} records";
    }).GetAwaiter().GetResult();

    public void Dispose()
    {
        _writer.RunAsync(() =>
        {
            _engine.Dispose();
            return 0;
        }).Wait();
        _writer.Dispose();
        _data.Dispose();
        _log.Dispose();
    }

    private static DateTimeOffset DayBaselinesStart(DateTimeOffset time) => new(time.UtcDateTime.Date, TimeSpan.Zero);

    private static BsonDocument Common(Recorded r)
    {
        var doc = new BsonDocument { ["t"] = DayLogFormat.ToMicros(r.Time), ["x"] = r.Context.Id };
        if (r.Context.ParentId is { } p) doc["p"] = p;
        if (r.Context.UserId is { } u) doc["u"] = u;
        if (r.ClientName is { } n) doc["n"] = n;
        return doc;
    }

    private static HubContext Context(BsonDocument doc) =>
        new(doc["x"].AsString, doc["p"].IsNull ? null : doc["p"].AsString, doc["u"].IsNull ? null : doc["u"].AsString);

    /// <summary>Entity id and time as one sortable string: "sensor.a|00000001700000000000000" (times before 1970 sort first).</summary>
    private static string Key(string entityId, long micros) => entityId + "|" + ((ulong)micros ^ (1UL << 63)).ToString("D20", CultureInfo.InvariantCulture);

    private static long Hash(string json) => BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes(json)), 0);
}
