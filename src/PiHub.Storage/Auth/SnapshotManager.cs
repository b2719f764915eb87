using System.Diagnostics;
using Microsoft.Extensions.Logging;
using PiHub.Core.Auth.Storage;
using PiHub.Storage.Durability;

namespace PiHub.Storage.Auth;

/// <summary>
/// Verified copies of the auth store in <c>snapshots/</c>: each is a complete file built by
/// <see cref="AuthFileBuilder"/> (so it was read back before it got its name). Keeps the newest
/// <see cref="AuthStoreOptions.SnapshotCount"/> plus the newest of each of the last
/// <see cref="AuthStoreOptions.SnapshotDays"/> days.
/// </summary>
internal sealed class SnapshotManager
{
    private readonly StoreFiles _files;
    private readonly AuthStoreOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();

    public SnapshotManager(StoreFiles files, AuthStoreOptions options, ILogger logger)
    {
        _files = files;
        _options = options;
        _logger = logger;
    }

    /// <summary>Every snapshot, newest generation first.</summary>
    public IReadOnlyList<SnapshotInfo> List()
    {
        if (!Directory.Exists(_files.Snapshots)) return [];
        return Directory.EnumerateFiles(_files.Snapshots, "auth-g*.db")
            .Select(p => SnapshotInfo.TryParse(p, out var i) ? i : null)
            .OfType<SnapshotInfo>()
            .OrderByDescending(s => s.Generation).ThenByDescending(s => s.TakenAt)
            .ToList();
    }

    /// <summary>Writes a verified snapshot of <paramref name="data"/> and prunes old ones.</summary>
    public SnapshotInfo Take(AuthData data, DateTimeOffset now)
    {
        lock (_gate) return TakeLocked(data, now);
    }

    private SnapshotInfo TakeLocked(AuthData data, DateTimeOffset now)
    {
        var watch = Stopwatch.StartNew();
        if (!Directory.Exists(_files.Snapshots))
        {
            Directory.CreateDirectory(_files.Snapshots);
            if (_options.Durable) FileSync.SyncDirectory(_files.Directory);
        }

        var path = Path.Combine(_files.Snapshots, SnapshotInfo.FileNameFor(data.Generation, now));
        var sum = AuthFileBuilder.Build(path, data, now, $"snapshot of generation {data.Generation}", _options.Durable);
        _logger.LogInformation("Auth store snapshot {File} written: generation {Generation}, checksum {Checksum}, {Ms} ms",
            Path.GetFileName(path), data.Generation, sum, watch.ElapsedMilliseconds);
        Prune();
        return new SnapshotInfo(path, data.Generation, now);
    }

    /// <summary>Deletes snapshots beyond the newest N and the newest one per day of the last week.</summary>
    public void Prune()
    {
        var all = List();
        var keep = new HashSet<string>(all.Take(_options.SnapshotCount).Select(s => s.Path));
        if (all.Count > 0)
        {
            var newestDay = all.Max(s => s.TakenAt.UtcDateTime.Date);
            foreach (var day in all.GroupBy(s => s.TakenAt.UtcDateTime.Date)
                         .Where(g => (newestDay - g.Key).TotalDays < _options.SnapshotDays))
            {
                keep.Add(day.OrderByDescending(s => s.Generation).First().Path);
            }
        }

        foreach (var old in all.Where(s => !keep.Contains(s.Path)))
        {
            File.Delete(old.Path);
        }

        // Leftovers of a snapshot interrupted by a crash.
        foreach (var temp in Directory.EnumerateFiles(_files.Snapshots, "*.tmp*"))
        {
            File.Delete(temp);
        }
    }

    /// <summary>The newest snapshot that loads and validates, with its data; null when none does.</summary>
    public (SnapshotInfo Info, AuthData Data)? NewestValid(List<string> rejected)
    {
        foreach (var info in List())
        {
            try
            {
                return (info, AuthFileBuilder.Load(info.Path, out _));
            }
            catch (Exception ex)
            {
                // Any failure means this copy is damaged too; try the next older one.
                rejected.Add($"{Path.GetFileName(info.Path)}: {ex.Message}");
                _logger.LogWarning("Snapshot {File} is not usable: {Error}", info.Path, ex.Message);
            }
        }

        return null;
    }
}
