using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PiHub.Core.Admin;
using PiHub.Core.Auth.Storage;

namespace PiHub.Storage.Auth;

/// <summary>
/// <c>pihub-cli db check</c>: start-up's own checks (<see cref="StoreOpener"/>: the files, the data, the
/// invariants, a snapshot newer than the file) run on a copy of the store's files, so the report says exactly
/// what the next start-up would find and do, and the real files are not touched.
/// </summary>
internal static class StoreCheck
{
    /// <summary>Copies the store's own files (data, log, leftovers, damaged copies, snapshots) into <paramref name="target"/>.</summary>
    public static void CopyFiles(StoreFiles files, string target)
    {
        Directory.CreateDirectory(target);
        var stem = Path.GetFileNameWithoutExtension(files.Data);
        if (Directory.Exists(files.Directory))
        {
            foreach (var path in Directory.EnumerateFiles(files.Directory, stem + "*"))
            {
                // The lock (and its owner file) belongs to the real store; a copy takes its own.
                if (path.StartsWith(files.Lock, StringComparison.Ordinal)) continue;
                File.Copy(path, Path.Combine(target, Path.GetFileName(path)));
            }
        }

        if (!Directory.Exists(files.Snapshots)) return;
        var snapshots = Path.Combine(target, Path.GetFileName(files.Snapshots));
        Directory.CreateDirectory(snapshots);
        foreach (var path in Directory.EnumerateFiles(files.Snapshots, "auth-g*.db"))
        {
            File.Copy(path, Path.Combine(snapshots, Path.GetFileName(path)));
        }
    }

    /// <summary>Runs start-up on the copy in <paramref name="copyDirectory"/>; <paramref name="shownFile"/> is the real data file, for the report.</summary>
    public static StoreCheckReport Run(string copyDirectory, AuthStoreOptions options, TimeProvider time, string shownFile)
    {
        var copyOptions = new AuthStoreOptions
        {
            Directory = copyDirectory,
            FileName = options.FileName,
            Durable = false,
            SnapshotCount = int.MaxValue,
            SnapshotDays = options.SnapshotDays,
            BackgroundMaintenance = false,
        };
        var files = new StoreFiles(copyDirectory, options.FileName);
        var snapshots = new SnapshotManager(files, copyOptions, NullLogger.Instance);
        var summaries = snapshots.List().Select(Verify).ToList();
        var (db, data, report) = new StoreOpener(files, copyOptions, NullLogger.Instance, time, snapshots).Open();
        db.Dispose();
        if (report is null)
        {
            var problems = AuthInvariants.Check(data);
            return new StoreCheckReport(problems.Count == 0, shownFile, data.Generation, data.AllRecords().Count(), problems, null, summaries);
        }

        var wouldDo = report.Outcome == StoreRecoveryOutcome.RestoredFromSnapshot
            ? $"move the file aside and restore snapshot {Path.GetFileName(report.SnapshotFile)} (generation {report.SnapshotGeneration}), losing {(report.Lost.Count == 0 ? "nothing known" : string.Join("; ", report.Lost))}"
            : "move the file aside and reopen onboarding in recovery mode (no usable snapshot)";
        return new StoreCheckReport(false, shownFile, report.SnapshotGeneration ?? 0, 0, [report.Problem], wouldDo, summaries);
    }

    /// <summary>Deletes a copy; a leftover folder of copies is harmless, so failures are only logged.</summary>
    public static void Delete(string copyDirectory, ILogger logger)
    {
        try
        {
            if (Directory.Exists(copyDirectory)) Directory.Delete(copyDirectory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Could not delete the store copy {Dir}: {Error}", copyDirectory, ex.Message);
        }
    }

    private static SnapshotSummary Verify(SnapshotInfo info)
    {
        var bytes = new FileInfo(info.Path).Length;
        try
        {
            var data = AuthFileBuilder.Load(info.Path, out _);
            var problems = AuthInvariants.Check(data);
            return LiteAuthStoreAdmin.Summary(info, bytes) with
            {
                Valid = problems.Count == 0,
                Problem = problems.Count == 0 ? null : string.Join("; ", problems),
            };
        }
        catch (Exception ex)
        {
            // Whatever LiteDB throws, the copy cannot be used.
            return LiteAuthStoreAdmin.Summary(info, bytes) with { Valid = false, Problem = ex.Message };
        }
    }
}
