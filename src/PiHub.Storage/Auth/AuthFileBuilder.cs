using PiHub.Core.Auth.Storage;
using PiHub.Storage.Durability;

namespace PiHub.Storage.Auth;

/// <summary>
/// Builds a complete, verified auth file from data in memory: written beside the target,
/// checkpointed so it needs no log, flushed, reopened and checked, then renamed into place
/// and the directory flushed. Used for snapshots, for a fresh store and for a restore, so the
/// target name only ever points at a whole, valid file.
/// </summary>
internal static class AuthFileBuilder
{
    /// <summary>Writes <paramref name="data"/> to <paramref name="target"/>; returns the set checksum it verified.</summary>
    public static string Build(string target, AuthData data, DateTimeOffset now, string description, bool durable)
    {
        var temp = target + ".tmp";
        var tempLog = target + ".tmp-log";
        DeleteIfExists(temp);
        DeleteIfExists(tempLog);
        using (var db = AuthDatabase.OpenFiles(temp, tempLog, durable, FileMode.CreateNew))
        {
            db.WriteAll(data, now, description);
            db.Checkpoint();
        }

        File.Delete(tempLog);
        var sum = Verify(temp, data);
        File.Move(temp, target, overwrite: true);
        if (durable) FileSync.SyncDirectory(Path.GetDirectoryName(target)!);
        return sum;
    }

    /// <summary>Opens a log-less file read-only and loads it; throws when it is not valid.</summary>
    public static AuthData Load(string path, out string setSum)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        if (file.Length < DurableStream.PageSize)
        {
            file.Dispose();
            throw new InvalidDataException($"{Path.GetFileName(path)} is {file.Length} bytes, smaller than one page");
        }

        // A snapshot has no log; an in-memory one only satisfies LiteDB and is never written to.
        using var db = AuthDatabase.Open(file, new MemoryStream(), durable: false, readOnly: true);
        var data = db.Load();
        setSum = db.SetSum;
        return data;
    }

    private static string Verify(string path, AuthData expected)
    {
        var loaded = Load(path, out var sum);
        if (loaded.Generation != expected.Generation || loaded.AllRecords().Count() != expected.AllRecords().Count())
        {
            throw new InvalidDataException($"{path} read back as generation {loaded.Generation}, not {expected.Generation}");
        }

        return sum;
    }

    private static void DeleteIfExists(string path)
    {
        if (File.Exists(path)) File.Delete(path);
    }
}
