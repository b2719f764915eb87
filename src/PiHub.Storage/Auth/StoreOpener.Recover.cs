using System.Globalization;
using Microsoft.Extensions.Logging;
using PiHub.Core.Auth.Model;
using PiHub.Core.Auth.Storage;
using PiHub.Storage.Durability;

namespace PiHub.Storage.Auth;

internal sealed partial class StoreOpener
{
    private (AuthDatabase Db, AuthData Data, StoreRecoveryReport Report) Recover(string problem)
    {
        var now = _time.GetUtcNow();
        _logger.LogError("The auth store {File} is damaged: {Problem}. Recovering.", _files.Data, problem);

        // Step 2a: never delete, never overwrite: every file of the damaged store gets a new name.
        var movedData = MoveAside(_files.Data, now);
        var movedLog = MoveAside(_files.Log, now);
        foreach (var leftover in _files.Leftovers) MoveAside(leftover, now);
        if (_options.Durable) FileSync.SyncDirectory(_files.Directory);

        // Step 3 runs first so the report can name lost changes from the damaged file's own meta.
        var salvage = new Salvager(_logger).Salvage(movedData, movedLog,
            Path.Combine(_files.Directory, "salvage-" + now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)));
        var rejected = new List<string>();
        var snapshot = _snapshots.NewestValid(rejected);
        var movedTo = movedData ?? movedLog;

        if (snapshot is { } snap)
        {
            var (data, salvaged) = AddSalvagedUsers(snap.Data, salvage);
            var generation = Math.Max(snap.Data.Generation, salvage.Meta?.Generation ?? 0) + 1;
            data = WithGeneration(data, generation);
            var db = Create(data, $"restored from snapshot {Path.GetFileName(snap.Info.Path)}");
            var report = new StoreRecoveryReport(StoreRecoveryOutcome.RestoredFromSnapshot, problem, movedTo,
                snap.Info.Path, snap.Data.Generation, snap.Info.TakenAt, Lost(snap.Data.Generation, salvage), salvaged, null);
            return Finish(db, data, report);
        }

        var code = RecoveryCode.Create();
        var onboarding = OnboardingState.Fresh with { RecoveryMode = true, RecoveryCodeHash = RecoveryCode.Hash(code) };
        var (fresh, salvagedUsers) = AddSalvagedUsers(AuthData.Empty, salvage);
        fresh = WithGeneration(fresh.Apply(new AuthChangeSet("recovery onboarding").Put(onboarding)),
            (salvage.Meta?.Generation ?? 0) + 1);
        RecoveryCode.WriteFile(_files.RecoveryCode, code);
        // Never the code itself: members of adm and systemd-journal read the journal without root, and the code
        // claims the hub. The file is root-only; the CLI needs root (or the service's user) too.
        _logger.LogCritical(
            "No valid auth data or snapshot exists. Onboarding is open in RECOVERY MODE: creating the owner needs the one-time code " +
            "in {File} (readable by root only: `sudo cat {File}`), or a new one from `sudo pihub-cli onboarding code` on the hub.",
            _files.RecoveryCode, _files.RecoveryCode);
        var freshDb = Create(fresh, "recovery onboarding");
        var lost = new List<string> { "every user, credential and token of the damaged store" };
        if (rejected.Count > 0) lost.Add("unusable snapshots: " + string.Join("; ", rejected));
        return Finish(freshDb, fresh, new StoreRecoveryReport(StoreRecoveryOutcome.RecoveryOnboarding, problem, movedTo,
            null, null, null, lost, salvagedUsers, _files.RecoveryCode));
    }

    private (AuthDatabase, AuthData, StoreRecoveryReport) Finish(AuthDatabase db, AuthData data, StoreRecoveryReport report)
    {
        _logger.LogError("{Report}", report.Describe());
        try
        {
            FileSync.WriteAllBytesDurably(_files.RecoveryReport, System.Text.Encoding.UTF8.GetBytes(
                $"{_time.GetUtcNow():u}\n{report.Describe()}\nSalvaged: {string.Join("; ", report.Salvaged)}\n"));
        }
        catch (IOException ex)
        {
            // The report also reaches the journal and the store's Recovery property; the file is a convenience.
            _logger.LogWarning("Could not write {File}: {Error}", _files.RecoveryReport, ex.Message);
        }

        return (db, data, report);
    }

    private string? MoveAside(string path, DateTimeOffset now)
    {
        if (!File.Exists(path)) return null;
        var aside = StoreFiles.AsideName(path, now);
        File.Move(path, aside, overwrite: false);
        _logger.LogWarning("Moved {File} aside to {Aside}", path, aside);
        return aside;
    }

    /// <summary>What the restored snapshot lacks, from the damaged file's list of recent changes when it could be read.</summary>
    private static List<string> Lost(long snapshotGeneration, SalvageResult salvage)
    {
        if (salvage.Meta is not { } meta)
        {
            return [$"every change after generation {snapshotGeneration} (the damaged file did not say how many)"];
        }

        if (meta.Generation <= snapshotGeneration)
        {
            // The damaged file shows nothing newer, but it is damaged: say so rather than "nothing".
            return [$"no change after generation {snapshotGeneration} is visible in the damaged file; any made later are lost"];
        }

        var lost = meta.Recent.Where(r => GenerationOf(r) > snapshotGeneration).ToList();
        var unnamed = meta.Generation - snapshotGeneration - lost.Count;
        if (unnamed > 0) lost.Insert(0, $"{unnamed} earlier changes after generation {snapshotGeneration}");
        return lost;
    }

    private static long GenerationOf(string recent) =>
        recent.Split(' ') is [_, var g, ..] && long.TryParse(g, CultureInfo.InvariantCulture, out var n) ? n : -1;

    /// <summary>
    /// Adds users (with their credentials and MFA) that the damaged file still holds intact and
    /// the base lacks. Never an owner, never a username already taken: a recovery must not hand
    /// the hub to a different owner.
    /// </summary>
    private static (AuthData, IReadOnlyList<string>) AddSalvagedUsers(AuthData data, SalvageResult salvage)
    {
        var salvaged = new List<string>();
        foreach (var user in salvage.Records.OfType<User>().Where(u => !u.IsOwner && !data.Users.ContainsKey(u.Id)))
        {
            var set = new AuthChangeSet($"salvage user {user.Name}").Put(user);
            foreach (var c in salvage.Records.OfType<Credential>().Where(c => c.UserId == user.Id)) set.Put(c);
            foreach (var m in salvage.Records.OfType<MfaEnrollment>().Where(m => m.UserId == user.Id)) set.Put(m);
            var next = data.Apply(set);
            if (AuthInvariants.Check(next).Count == 0)
            {
                data = WithGeneration(next, data.Generation);
                salvaged.Add($"user {user.Name} ({user.Id})");
            }
        }

        return (data, salvaged);
    }

    private static AuthData WithGeneration(AuthData d, long generation) =>
        new(generation, d.Users, d.Credentials, d.RefreshTokens, d.Mfa, d.Bans, d.Webhooks, d.Onboarding);
}
