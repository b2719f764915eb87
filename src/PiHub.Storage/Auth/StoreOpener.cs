using Microsoft.Extensions.Logging;
using PiHub.Core.Auth.Model;
using PiHub.Core.Auth.Storage;
using PiHub.Storage.Durability;

namespace PiHub.Storage.Auth;

/// <summary>
/// Start-up, in the issue's order: (1) open and validate; (2) if invalid, move the files aside,
/// restore the newest valid snapshot and name what was lost; (3) salvage users the snapshot
/// lacks from a copy of the damaged file; (4) with nothing valid, reopen onboarding in recovery
/// mode behind a one-time code. A directory with no store files at all is a fresh install.
/// </summary>
internal sealed partial class StoreOpener
{
    private readonly StoreFiles _files;
    private readonly AuthStoreOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SnapshotManager _snapshots;

    public StoreOpener(StoreFiles files, AuthStoreOptions options, ILogger logger, TimeProvider time, SnapshotManager snapshots)
    {
        _files = files;
        _options = options;
        _logger = logger;
        _time = time;
        _snapshots = snapshots;
    }

    /// <summary>Returns an open, validated database, whatever was found on disk; throws only when even a fresh file cannot be written.</summary>
    public (AuthDatabase Db, AuthData Data, StoreRecoveryReport? Report) Open()
    {
        var problem = Inspect(out var fresh);
        if (fresh)
        {
            _logger.LogInformation("No auth store in {Dir}: creating a fresh one (onboarding open)", _files.Directory);
            return (Create(AuthData.Empty, "create fresh store"), AuthData.Empty, null);
        }

        if (problem is null)
        {
            AuthDatabase? db = null;
            try
            {
                EnsureLog();
                db = AuthDatabase.OpenFiles(_files.Data, _files.Log, _options.Durable, wrap: _options.StreamWrapper);
                var data = db.Load();
                // A store older than its own newest snapshot lost acknowledged commits: a log cut at a
                // page boundary (indistinguishable from a crash inside LiteDB) or an old auth.db put back
                // from a backup. The snapshot holds more, so treat the file as damaged.
                var newest = _snapshots.List().Select(s => s.Generation).DefaultIfEmpty(0).Max();
                if (newest > data.Generation)
                {
                    db.Dispose();
                    return Recover($"the file is at generation {data.Generation} but snapshot generation {newest} is newer: changes were lost from the file (a truncated log, or an older copy restored)");
                }

                MoveLeftoversAside();
                return (db, data, null);
            }
            catch (Exception ex)
            {
                // Whatever LiteDB or our checks throw, the file cannot be trusted.
                db?.Dispose();
                problem = ex.Message;
            }
        }

        return Recover(problem);
    }

    /// <summary>Null when the files look openable; also tells whether there is nothing at all (a fresh install).</summary>
    private string? Inspect(out bool fresh)
    {
        fresh = false;
        var leftovers = _files.Leftovers.Where(File.Exists).Select(Path.GetFileName).ToList();
        if (!File.Exists(_files.Data))
        {
            var logExists = File.Exists(_files.Log) && new FileInfo(_files.Log).Length > 0;
            var snapshots = _snapshots.List().Count;
            var damaged = Directory.Exists(_files.Directory)
                && Directory.EnumerateFiles(_files.Directory, "*.corrupt-*").Any();
            // Our own build files (*.tmp) and an empty log are what an interrupted first start
            // leaves; LiteDB's rebuild leftovers, snapshots or damaged files mean a store existed.
            if (!logExists && snapshots == 0 && !damaged && leftovers.All(IsOwnBuildFile))
            {
                foreach (var own in _files.Leftovers.Where(File.Exists)) File.Delete(own);
                fresh = true;
                return null;
            }

            leftovers = leftovers.Where(l => !IsOwnBuildFile(l)).ToList();

            return $"{Path.GetFileName(_files.Data)} is missing" +
                (logExists ? $" while its log {Path.GetFileName(_files.Log)} exists" : "") +
                (leftovers.Count > 0 ? $" beside leftovers of an interrupted rebuild or restore ({string.Join(", ", leftovers)})" : "") +
                (snapshots > 0 ? $" while {snapshots} snapshots exist" : "");
        }

        var length = new FileInfo(_files.Data).Length;
        if (length < DurableStream.PageSize)
        {
            return $"{Path.GetFileName(_files.Data)} is {length} bytes, smaller than one page (truncated)";
        }

        // The log is created before the data file gets its name and is never deleted, so a
        // data file without one lost its log, and with it any commits not yet checkpointed.
        return File.Exists(_files.Log) ? null : $"{Path.GetFileName(_files.Log)} is missing (commits in it are lost)";
    }

    private static bool IsOwnBuildFile(string? name) => name is not null && name.Contains(".tmp", StringComparison.Ordinal);

    private AuthDatabase Create(AuthData data, string description)
    {
        Directory.CreateDirectory(_files.Directory);
        // An empty log must exist before the data file gets its name (see Inspect); an old one
        // would replay stale pages onto the new file, so recovery has moved it aside already.
        if (File.Exists(_files.Log) && new FileInfo(_files.Log).Length > 0)
        {
            throw new InvalidOperationException($"{_files.Log} still holds pages of an earlier file.");
        }

        EnsureLog();
        AuthFileBuilder.Build(_files.Data, data, _time.GetUtcNow(), description, _options.Durable);
        var db = AuthDatabase.OpenFiles(_files.Data, _files.Log, _options.Durable, wrap: _options.StreamWrapper);
        try
        {
            db.Load();
            return db;
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Creates the log before LiteDB does and flushes the directory: a log whose directory
    /// entry is lost in a power cut would take every acknowledged commit in it along.
    /// </summary>
    private void EnsureLog()
    {
        if (File.Exists(_files.Log)) return;
        using (FileSync.OpenReadWrite(_files.Log, FileMode.CreateNew))
        {
        }

        if (_options.Durable) FileSync.SyncDirectory(_files.Directory);
    }

    /// <summary>Leftovers beside a valid store are kept, under a name nothing will reuse.</summary>
    private void MoveLeftoversAside()
    {
        var now = _time.GetUtcNow();
        var moved = false;
        foreach (var path in _files.Leftovers.Where(File.Exists))
        {
            var aside = StoreFiles.AsideName(path, now).Replace(".corrupt-", ".leftover-", StringComparison.Ordinal);
            File.Move(path, aside);
            _logger.LogWarning("Moved leftover file {File} aside to {Aside}", path, aside);
            moved = true;
        }

        if (moved && _options.Durable) FileSync.SyncDirectory(_files.Directory);
    }
}
