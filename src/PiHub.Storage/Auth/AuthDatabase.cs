using LiteDB;
using LiteDB.Engine;
using PiHub.Core.Auth.Model;
using PiHub.Core.Auth.Storage;
using PiHub.Storage.Durability;

namespace PiHub.Storage.Auth;

/// <summary>
/// One open LiteDB auth file: reads and verifies every document, and writes one change set
/// per transaction through <see cref="DurableStream"/>s. Talks to <see cref="LiteEngine"/>
/// directly with <see cref="BsonDocument"/>s, so no reflection mapper is ever involved.
/// Not thread-safe: LiteDB binds an explicit transaction to its thread, so the store calls
/// every method from its single writer thread.
/// </summary>
internal sealed class AuthDatabase : IDisposable
{
    private readonly LiteEngine _engine;
    private readonly DurableStream _data;
    private readonly DurableStream _log;
    private SetChecksum _set = new();
    private StoreMeta? _meta;
    private bool _faulted;

    private AuthDatabase(LiteEngine engine, DurableStream data, DurableStream log)
    {
        _engine = engine;
        _data = data;
        _log = log;
    }

    /// <summary>Bytes in the log not yet checkpointed into the data file.</summary>
    public long LogLength => _log.Length;

    /// <summary>The set checksum of the last generation loaded or written.</summary>
    public string SetSum => _set.Hex;

    /// <summary>The meta document as last loaded or written.</summary>
    public StoreMeta? Meta => _meta;

    /// <summary>How many times either file was flushed to the medium.</summary>
    public int SyncCount => _data.SyncCount + _log.SyncCount;

    /// <summary>Opens LiteDB over two streams it takes ownership of (files, or a simulated medium in tests).</summary>
    public static AuthDatabase Open(Stream data, Stream log, bool durable, bool readOnly = false, bool syncBeforeConfirm = true)
    {
        var dataStream = new DurableStream(data, isLog: false, durable);
        var logStream = new DurableStream(log, isLog: true, durable, syncBeforeConfirm);
        try
        {
            var engine = new LiteEngine(new EngineSettings { DataStream = dataStream, LogStream = logStream, ReadOnly = readOnly });
            return new AuthDatabase(engine, dataStream, logStream);
        }
        catch
        {
            dataStream.Dispose();
            logStream.Dispose();
            throw;
        }
    }

    /// <summary>Opens the files at <paramref name="dataPath"/> and its log (both must exist unless creating).</summary>
    public static AuthDatabase OpenFiles(string dataPath, string logPath, bool durable, FileMode mode = FileMode.Open,
        Func<Stream, bool, Stream>? wrap = null)
    {
        var data = FileSync.OpenReadWrite(dataPath, mode);
        FileStream log;
        try
        {
            log = FileSync.OpenReadWrite(logPath, FileMode.OpenOrCreate);
        }
        catch
        {
            data.Dispose();
            throw;
        }

        return wrap is null ? Open(data, log, durable) : Open(wrap(data, false), wrap(log, true), durable);
    }

    /// <summary>
    /// Reads every document, checks each checksum, the set checksum, the generation and the
    /// invariants. Throws (any exception type) when anything is wrong: the caller treats that as corruption.
    /// </summary>
    public AuthData Load()
    {
        try
        {
            return LoadUnguarded();
        }
        catch
        {
            _faulted = true;
            throw;
        }
    }

    private AuthData LoadUnguarded()
    {
        var metaDocs = ReadAll(StoreMeta.Collection).ToList();
        if (metaDocs.Count != 1)
        {
            throw new InvalidDataException(metaDocs.Count == 0
                ? "the meta document is missing (an empty or truncated file, or not a PiHub auth store)"
                : $"{metaDocs.Count} meta documents");
        }

        var meta = StoreMeta.FromDocument(metaDocs[0]);
        var set = new SetChecksum();
        var records = new List<AuthRecord>();
        foreach (var kind in AuthDocumentMapper.Kinds)
        {
            foreach (var doc in ReadAll(AuthDocumentMapper.CollectionOf(kind)))
            {
                records.Add(AuthDocumentMapper.FromDocument(kind, doc, out var sum));
                set.Add(sum);
            }
        }

        if (set.Count != meta.Count || set.Hex != meta.SetSum)
        {
            throw new InvalidDataException(
                $"the documents do not match the store checksum ({set.Count} found, {meta.Count} recorded)");
        }

        var onboardings = records.Count(r => r.Kind == AuthRecordKind.Onboarding);
        if (onboardings != 1) throw new InvalidDataException($"{onboardings} onboarding documents (exactly one expected)");

        var data = AuthData.FromRecords(meta.Generation, records);
        var problems = AuthInvariants.Check(data);
        if (problems.Count > 0) throw new InvalidDataException("the data breaks its rules: " + string.Join("; ", problems));

        _set = set;
        _meta = meta;
        return data;
    }

    /// <summary>Writes every record of <paramref name="data"/> into an empty database in one transaction.</summary>
    public void WriteAll(AuthData data, DateTimeOffset now, string description)
    {
        var set = new SetChecksum();
        _engine.BeginTrans();
        try
        {
            foreach (var group in data.AllRecords().GroupBy(r => r.Kind))
            {
                var docs = new List<BsonDocument>();
                foreach (var record in group)
                {
                    docs.Add(AuthDocumentMapper.ToDocument(record, out var sum));
                    set.Add(sum);
                }

                _engine.Insert(AuthDocumentMapper.CollectionOf(group.Key), docs, BsonAutoId.ObjectId);
            }

            var meta = new StoreMeta(data.Generation, set.Count, set.Hex, now, []);
            meta = meta with { Recent = meta.WithChange(data.Generation, now, description) };
            _engine.Insert(StoreMeta.Collection, [meta.ToDocument()], BsonAutoId.ObjectId);
            _engine.Commit();
            _set = set;
            _meta = meta;
        }
        catch
        {
            _faulted = true;
            TryRollback();
            throw;
        }
    }

    /// <summary>
    /// Writes the documents <paramref name="changes"/> touched, as they are in <paramref name="after"/>,
    /// plus the meta document, in one transaction. Durable when this returns.
    /// </summary>
    public void Commit(AuthData before, AuthData after, AuthChangeSet changes, DateTimeOffset now)
    {
        var meta = _meta ?? throw new InvalidOperationException("Load or WriteAll must run before Commit.");
        if (before.Generation != meta.Generation)
        {
            throw new InvalidOperationException($"Generation {before.Generation} is not the stored {meta.Generation}.");
        }

        var set = _set.Clone();
        _engine.BeginTrans();
        try
        {
            foreach (var (kind, id) in changes.Changes.Select(c => (c.Kind, c.Id)).Distinct())
            {
                WriteOne(kind, id, before, after, set);
            }

            var next = new StoreMeta(after.Generation, set.Count, set.Hex, now,
                meta.WithChange(after.Generation, now, changes.Description));
            _engine.Upsert(StoreMeta.Collection, [next.ToDocument()], BsonAutoId.ObjectId);
            _engine.Commit();
            _set = set;
            _meta = next;
        }
        catch
        {
            _faulted = true;
            TryRollback();
            throw;
        }
    }

    /// <summary>Copies the log into the data file (flushed) and empties the log.</summary>
    public int Checkpoint()
    {
        try
        {
            return _engine.Checkpoint();
        }
        catch
        {
            _faulted = true;
            throw;
        }
    }

    /// <summary>Every document of a collection (none when the collection does not exist).</summary>
    public IEnumerable<BsonDocument> ReadAll(string collection)
    {
        using var reader = _engine.Query(collection, new Query());
        while (reader.Read()) yield return reader.Current.AsDocument;
    }

    public void Dispose()
    {
        try
        {
            _engine.Dispose();
        }
        finally
        {
            // A failed engine may hold transactions whose finalizers would crash the process.
            if (_faulted) EngineQuarantine.Keep(_engine);
            _data.Dispose();
            _log.Dispose();
        }
    }

    private void WriteOne(AuthRecordKind kind, string id, AuthData before, AuthData after, SetChecksum set)
    {
        var collection = AuthDocumentMapper.CollectionOf(kind);
        var old = Find(before, kind, id);
        var now = Find(after, kind, id);
        if (kind == AuthRecordKind.Onboarding)
        {
            // Onboarding is a singleton: whatever id a change used, the old document gives way to the new one.
            old = before.Onboarding;
            now = after.Onboarding;
            if (old.Id != now.Id) _engine.Delete(collection, [old.Id]);
        }

        if (old is not null)
        {
            AuthDocumentMapper.ToDocument(old, out var oldSum);
            set.Remove(oldSum);
        }

        if (now is null)
        {
            _engine.Delete(collection, [id]);
            return;
        }

        var doc = AuthDocumentMapper.ToDocument(now, out var sum);
        set.Add(sum);
        _engine.Upsert(collection, [doc], BsonAutoId.ObjectId);
    }

    private static AuthRecord? Find(AuthData data, AuthRecordKind kind, string id) => kind switch
    {
        AuthRecordKind.User => data.Users.GetValueOrDefault(id),
        AuthRecordKind.Credential => data.Credentials.GetValueOrDefault(id),
        AuthRecordKind.RefreshToken => data.RefreshTokens.GetValueOrDefault(id),
        AuthRecordKind.Mfa => data.Mfa.GetValueOrDefault(id),
        AuthRecordKind.Ban => data.Bans.GetValueOrDefault(id),
        AuthRecordKind.Webhook => data.Webhooks.GetValueOrDefault(id),
        AuthRecordKind.Onboarding => data.Onboarding,
        _ => null,
    };

    private void TryRollback()
    {
        try
        {
            _engine.Rollback();
        }
        catch (Exception)
        {
            // The engine may already be closed by the failure; the caller reopens the file and rereads it.
        }
    }
}
