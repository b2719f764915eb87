using LiteDB;
using LiteDB.Engine;
using Microsoft.Extensions.Logging;
using PiHub.Core.Auth.Model;
using PiHub.Storage.Durability;

namespace PiHub.Storage.Auth;

/// <summary>
/// Reads what it can from a damaged auth file, working on a copy only: LiteDB's rebuild
/// renames files without flushing and can turn a damaged file into an empty one, so it never
/// runs on anything that is the only copy. Every document still has to pass its checksum.
/// A damaged file can send LiteDB into long loops, so the attempt is bounded in time.
/// </summary>
internal sealed class Salvager
{
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(15);
    private readonly ILogger _logger;

    public Salvager(ILogger logger) => _logger = logger;

    /// <summary>Salvages from <paramref name="data"/> (and its <paramref name="log"/>, if any) via copies in <paramref name="workDir"/>.</summary>
    public SalvageResult Salvage(string? data, string? log, string workDir)
    {
        if (data is null || !File.Exists(data) || new FileInfo(data).Length < DurableStream.PageSize) return SalvageResult.Nothing;
        // On a thread of its own, given up after a limit: LiteDB can loop on a damaged file.
        SalvageResult? result = null;
        Exception? failure = null;
        var work = new Thread(() =>
        {
            try
            {
                result = SalvageCopy(data, log, workDir);
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        }) { IsBackground = true, Name = "pihub-auth-salvage" };
        work.Start();
        if (!work.Join(s_limit))
        {
            _logger.LogWarning("Salvaging {File} took longer than {Limit}; given up", data, s_limit);
            return SalvageResult.Nothing with { Error = "salvage timed out" };
        }

        if (failure is not null)
        {
            _logger.LogWarning("Nothing could be salvaged from {File}: {Error}", data, failure.Message);
            return SalvageResult.Nothing with { Error = failure.Message };
        }

        return result!;
    }

    private SalvageResult SalvageCopy(string data, string? log, string workDir)
    {
        Directory.CreateDirectory(workDir);
        try
        {
            var copy = Path.Combine(workDir, "salvage.db");
            File.Copy(data, copy, overwrite: true);
            if (log is not null && File.Exists(log)) File.Copy(log, Path.Combine(workDir, "salvage-log.db"), overwrite: true);
            try
            {
                return Read(new EngineSettings { Filename = copy });
            }
            catch (Exception first)
            {
                // Ask LiteDB to rebuild the copy: its file reader skips pages it cannot read.
                _logger.LogInformation("Salvage: {File} does not open ({Error}); trying LiteDB's rebuild on a copy", data, first.Message);
                MarkForRebuild(copy);
                return Read(new EngineSettings { Filename = copy, AutoRebuild = true });
            }
        }
        finally
        {
            try
            {
                Directory.Delete(workDir, recursive: true);
            }
            catch (IOException)
            {
                // Only copies live there; a stray folder is harmless.
            }
        }
    }

    private static SalvageResult Read(EngineSettings settings)
    {
        var engine = new LiteEngine(settings);
        // Salvage reads damaged data by definition: the engine is never let go (see EngineQuarantine).
        EngineQuarantine.Keep(engine);
        using var closing = engine;
        var records = new List<AuthRecord>();
        StoreMeta? meta = null;
        foreach (var doc in ReadLeniently(engine, StoreMeta.Collection))
        {
            try
            {
                meta = StoreMeta.FromDocument(doc);
            }
            catch (InvalidDataException)
            {
                // An unreadable meta only costs the list of lost changes.
            }
        }

        foreach (var kind in AuthDocumentMapper.Kinds)
        {
            foreach (var doc in ReadLeniently(engine, AuthDocumentMapper.CollectionOf(kind)))
            {
                try
                {
                    records.Add(AuthDocumentMapper.FromDocument(kind, doc, out _));
                }
                catch (InvalidDataException)
                {
                    // A document that fails its checksum is exactly what must not come back.
                }
            }
        }

        return new SalvageResult(records, meta, null);
    }

    private static List<BsonDocument> ReadLeniently(LiteEngine engine, string collection)
    {
        var docs = new List<BsonDocument>();
        try
        {
            using var reader = engine.Query(collection, new Query());
            while (reader.Read()) docs.Add(reader.Current.AsDocument);
        }
        catch (Exception)
        {
            // Keep what was read before the damage; a broken collection is not a reason to stop.
        }

        return docs;
    }

    private static void MarkForRebuild(string path)
    {
        // HeaderPage.P_INVALID_DATAFILE_STATE in LiteDB 5.0.21: with AutoRebuild, open runs the rebuild.
        using var fs = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        fs.Position = 191;
        fs.WriteByte(1);
    }
}
