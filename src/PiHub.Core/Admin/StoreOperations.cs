using System.Globalization;
using PiHub.Core.Auth;
using PiHub.Core.Auth.Model;
using PiHub.Core.Auth.Storage;
using PiHub.Core.Auth.Tokens;

namespace PiHub.Core.Admin;

/// <summary><c>status</c>, <c>onboarding …</c> and <c>db …</c>: the store as a whole.</summary>
internal sealed class StoreOperations(AdminContext context)
{
    private AuthManager Auth => context.Auth;

    private IAuthStoreAdmin Files => context.StoreAdmin;

    public AdminResult Status()
    {
        var data = context.Store.Current;
        var problems = AuthInvariants.Check(data);
        var snapshots = Files.ListSnapshots();
        var status = new AdminStatus
        {
            Version = context.Version,
            DataDir = Files.StoreDirectory,
            SnapshotDir = Files.SnapshotDirectory,
            AuthFile = Files.DataFile,
            Generation = data.Generation,
            StoreHealth = problems.Count > 0 ? "invalid: " + string.Join("; ", problems)
                : Files.IsPrivateCopy && context.Store.Recovery is { } damage
                    ? $"damaged ({damage.Problem}); run `pihub-cli db check`"
                : context.Store.IsReadOnly ? "read-only (writes are refused)" : "ok",
            ReadOnly = context.Store.IsReadOnly,
            Recovery = Files.IsPrivateCopy ? null : context.Store.Recovery?.Describe(),
            Owner = data.Owner is { } owner ? AdminContext.Describe(data, owner) : null,
            OnboardingDone = data.Onboarding.UserDone,
            RecoveryMode = data.Onboarding.RecoveryMode,
            Users = data.Users.Values.Count(u => !u.SystemGenerated),
            UsersWithMfa = data.Mfa.Values.Where(m => m.Enabled).Select(m => m.UserId).Distinct().Count(),
            ActiveBans = context.Bans.ActiveBans().Count,
            LastSnapshot = snapshots.Count > 0 ? snapshots[0] : null,
            SnapshotCount = snapshots.Count,
            Power = context.Power?.State ?? "not reported by this hub",
        };
        return new AdminResult { Message = $"PiHub {context.Version}: store {status.StoreHealth}.", Status = status, Generation = data.Generation };
    }

    public AdminResult OnboardingStatus()
    {
        var data = Auth.Data;
        var info = Describe(data);
        return new AdminResult
        {
            Message = data.Onboarding.UserDone
                ? $"Onboarding is done: {info.Owner} is the owner."
                : data.Onboarding.RecoveryMode
                    ? "Onboarding is open in recovery mode: creating the owner needs the one-time code (`pihub-cli onboarding code` prints a new one)."
                    : "Onboarding is open: anyone who reaches the hub can create the owner. `pihub-cli onboarding code` makes it ask for a one-time code.",
            Onboarding = info,
            Generation = data.Generation,
        };
    }

    /// <summary>A new one-time code that creating the owner needs from now on (the old one, if any, stops working).</summary>
    public async Task<AdminResult> NewOnboardingCodeAsync(CancellationToken cancellationToken)
    {
        var (code, hash) = Files.NewRecoveryCode();
        var data = await Auth.MutateAsync(d =>
        {
            if (d.Onboarding.UserDone)
            {
                throw new AdminException(AdminFailure.Failed, "onboarding_done",
                    "The owner exists, so onboarding is closed and needs no code. To get in, set a password with " +
                    "`pihub-cli users passwd <username>`; to start over, `pihub-cli onboarding reset --yes`.");
            }

            return new AuthChangeSet("new onboarding code (pihub-cli)").Put(d.Onboarding with { RecoveryMode = true, RecoveryCodeHash = hash });
        }, cancellationToken).ConfigureAwait(false);
        var file = Files.WriteRecoveryCodeFile(code);
        return new AdminResult
        {
            Message = $"Creating the owner now needs this one-time code: {code} (also in {file}). Open the hub in a browser and enter it with the new owner's details.",
            OnboardingCode = code,
            Onboarding = Describe(data),
            Generation = data.Generation,
        };
    }

    /// <summary>
    /// Starts over: snapshot first, then every user, credential, token and MFA set-up is removed and onboarding
    /// reopens behind a one-time code, so nobody else on the network can claim the hub in the meantime.
    /// </summary>
    public async Task<AdminResult> ResetOnboardingAsync(AdminRequest request, CancellationToken cancellationToken)
    {
        if (!request.Yes)
        {
            throw new AdminException(AdminFailure.Usage, AdminException.ConfirmationRequiredCode,
                "onboarding reset removes every user, password, token and MFA set-up; run it again with --yes to confirm (a snapshot is taken first).");
        }

        var safety = await Files.TakeSnapshotAsync(cancellationToken).ConfigureAwait(false);
        var (code, hash) = Files.NewRecoveryCode();
        var revoked = new List<string>();
        var removed = 0;
        var data = await Auth.MutateAsync(d =>
        {
            var set = new AuthChangeSet("reset onboarding (pihub-cli)");
            foreach (var u in d.Users.Values) set.Delete(u);
            foreach (var c in d.Credentials.Values) set.Delete(c);
            foreach (var m in d.Mfa.Values) set.Delete(m);
            foreach (var t in d.RefreshTokens.Values)
            {
                set.Delete(t);
                revoked.Add(t.Id);
            }

            removed = d.Users.Count;
            return set.Put(OnboardingState.Fresh with { RecoveryMode = true, RecoveryCodeHash = hash });
        }, cancellationToken).ConfigureAwait(false);
        Auth.RaiseRevoked(revoked, RevocationReason.StoreReplaced);
        var file = Files.WriteRecoveryCodeFile(code);
        return new AdminResult
        {
            Message = string.Create(CultureInfo.InvariantCulture,
                $"Onboarding is open again: {removed} users and their passwords, tokens and MFA set-ups were removed (snapshot {safety.Name} has them: `pihub-cli db restore {safety.Name}` undoes this). ") +
                $"Create the new owner in the browser with the one-time code {code} (also in {file}).",
            OnboardingCode = code,
            SafetySnapshot = safety,
            TokensRevoked = revoked.Count,
            Generation = data.Generation,
        };
    }

    public async Task<AdminResult> CheckAsync(CancellationToken cancellationToken)
    {
        var report = await Files.CheckAsync(cancellationToken).ConfigureAwait(false);
        var damaged = report.Snapshots.Where(s => s.Valid == false).ToList();
        if (!report.Healthy)
        {
            var newest = report.Snapshots.FirstOrDefault(s => s.Valid == true);
            // Not an exception: the report is the answer (exit 1), and --json shows all of it.
            return new AdminResult
            {
                Message = $"The auth store is damaged: {string.Join("; ", report.Problems)}. " +
                (newest is null
                    ? "No snapshot is usable either; restore a backup with `pihub-cli db restore <file>`, or start over with `pihub-cli onboarding reset --yes`."
                    : $"Restore the newest good snapshot with `pihub-cli db restore {newest.Name}` (starting PiHub would do this: {report.StartupWouldDo})."),
                Check = report,
                Generation = report.Generation,
            };
        }

        return new AdminResult
        {
            Message = string.Create(CultureInfo.InvariantCulture,
                $"The auth store is healthy: generation {report.Generation}, {report.Records} records, {report.Snapshots.Count - damaged.Count} of {report.Snapshots.Count} snapshots usable.") +
                (damaged.Count > 0 ? $" Damaged snapshots (ignored at start-up): {string.Join(", ", damaged.Select(s => s.Name))}." : ""),
            Check = report,
            Generation = report.Generation,
        };
    }

    public AdminResult ListSnapshots()
    {
        var snapshots = Files.ListSnapshots();
        return new AdminResult
        {
            Message = snapshots.Count == 0
                ? $"No snapshots yet in {Files.SnapshotDirectory}; PiHub takes one a few seconds after every change."
                : string.Create(CultureInfo.InvariantCulture, $"{snapshots.Count} snapshots in {Files.SnapshotDirectory}, newest first."),
            Snapshots = snapshots,
            Generation = context.Store.Current.Generation,
        };
    }

    /// <summary>
    /// Puts the content of a snapshot or backup back as one commit (a snapshot of the current state first), so
    /// the generation keeps counting up and the running service sees it at once: revoked tokens stop working.
    /// </summary>
    public async Task<AdminResult> RestoreAsync(AdminRequest request, CancellationToken cancellationToken)
    {
        AuthData target;
        string source;
        if (!string.IsNullOrWhiteSpace(request.BackupContent))
        {
            source = request.BackupName ?? "the backup file";
            byte[] content;
            try
            {
                content = Convert.FromBase64String(request.BackupContent);
            }
            catch (FormatException ex)
            {
                throw new AdminException(AdminFailure.Usage, AdminException.InvalidRequestCode, "The backup content is not base64; send the file as pihub-cli does.", ex);
            }

            target = Files.ReadBackup(content, source);
        }
        else if (!string.IsNullOrWhiteSpace(request.Snapshot))
        {
            source = $"snapshot {request.Snapshot.Trim()}";
            target = Files.ReadSnapshot(request.Snapshot.Trim());
        }
        else
        {
            throw AdminException.Missing("The snapshot", "pihub-cli db restore auth-g0000000012-20250101T120000000Z.db (names from `pihub-cli db snapshots`), or a backup file path");
        }

        var problems = AuthInvariants.Check(target);
        if (problems.Count > 0)
        {
            throw new AdminException(AdminFailure.Failed, "invalid_backup",
                $"{source} breaks the store's rules ({string.Join("; ", problems)}); pick another snapshot from `pihub-cli db snapshots`.");
        }

        var safety = await Files.TakeSnapshotAsync(cancellationToken).ConfigureAwait(false);
        var revoked = new List<string>();
        var data = await Auth.MutateAsync(d =>
        {
            var set = new AuthChangeSet($"restore {source} (pihub-cli)");
            var keep = target.AllRecords().Select(r => (r.Kind, r.Id)).ToHashSet();
            foreach (var record in d.AllRecords().Where(r => r.Kind != AuthRecordKind.Onboarding && !keep.Contains((r.Kind, r.Id))))
            {
                set.Delete(record);
                if (record is RefreshToken t) revoked.Add(t.Id);
            }

            foreach (var record in target.AllRecords()) set.Put(record);
            return set;
        }, cancellationToken).ConfigureAwait(false);
        Auth.RaiseRevoked(revoked, RevocationReason.StoreReplaced);
        return new AdminResult
        {
            Message = string.Create(CultureInfo.InvariantCulture,
                $"Restored {source} (generation {target.Generation}): {data.Users.Count} users, owner {(data.Owner is { } o ? AdminContext.Label(data, o) : "none")}. ") +
                $"The state before is in snapshot {safety.Name}.",
            SafetySnapshot = safety,
            TokensRevoked = revoked.Count,
            Generation = data.Generation,
        };
    }

    public async Task<AdminResult> BackupAsync(CancellationToken cancellationToken)
    {
        var generation = context.Store.Current.Generation;
        var content = await Files.BackupAsync(cancellationToken).ConfigureAwait(false);
        return new AdminResult
        {
            Message = string.Create(CultureInfo.InvariantCulture, $"Backup of generation {generation} ({content.Length} bytes)."),
            BackupContent = Convert.ToBase64String(content),
            Generation = generation,
        };
    }

    private static AdminOnboardingInfo Describe(AuthData data) => new(
        data.Onboarding.UserDone,
        data.Onboarding.RecoveryMode,
        data.Owner is { } owner ? AdminContext.Label(data, owner) : null,
        null);
}
