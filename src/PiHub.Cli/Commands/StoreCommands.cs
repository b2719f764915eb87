using System.CommandLine;
using PiHub.Cli.Hosting;
using PiHub.Core.Admin;

namespace PiHub.Cli.Commands;

/// <summary><c>onboarding …</c> and <c>db …</c>.</summary>
internal static class StoreCommands
{
    public static Command Onboarding(CliContext cli)
    {
        var yes = new Option<bool>("--yes") { Description = "Confirm: every user, password, token and MFA set-up is removed (a snapshot is taken first)." };
        return CliContext.Group("onboarding", "Creating the owner: progress, a one-time code, starting over.",
            cli.Leaf("status", "Show whether the owner exists and whether creating one needs a code.", _ => new AdminRequest { Command = AdminCommands.OnboardingStatus }),
            cli.Leaf("code", "Print a new one-time code that creating the owner needs from now on.", _ => new AdminRequest { Command = AdminCommands.OnboardingCode }),
            cli.Leaf("reset", "Start over behind a one-time code: snapshot, then remove every user (needs --yes).", parse => new AdminRequest
            {
                Command = AdminCommands.OnboardingReset,
                Yes = parse.GetValue(yes),
            }, yes));
    }

    public static Command Db(CliContext cli)
    {
        var source = new Argument<string>("snapshot") { Description = "A snapshot name from `pihub-cli db snapshots`, or the path of a file made by `pihub-cli db backup <file>`." };
        var restore = cli.Leaf("restore", "Put a snapshot or backup back (the current state is snapshotted first).", parse => RestoreRequest(parse.GetValue(source)!), source);

        var file = new Argument<string>("file") { Description = "Where to write the backup (a new file, readable by you only)." };
        var backup = new Command("backup", "Write a verified copy of the auth store to a file.") { file };
        backup.SetAction((parse, ct) =>
        {
            var path = Path.GetFullPath(parse.GetValue(file)!);
            return cli.RunAsync(parse, () =>
            {
                if (File.Exists(path)) throw new CliFailure(ExitCodes.Failed, "file_exists", $"{path} already exists; choose a new file name or delete it first.");
                return new AdminRequest { Command = AdminCommands.DbBackup };
            }, ct, result => WriteBackup(path, result));
        });

        return CliContext.Group("db", "The auth store: check it, list snapshots, restore, back up.",
            cli.Leaf("check", "Run start-up's checks on a copy of the store and say what is wrong.", _ => new AdminRequest { Command = AdminCommands.DbCheck }),
            cli.Leaf("snapshots", "List the store's snapshots, newest first.", _ => new AdminRequest { Command = AdminCommands.DbSnapshots }),
            restore,
            backup);
    }

    private static AdminRequest RestoreRequest(string source)
    {
        if (!source.Contains('/', StringComparison.Ordinal) && !File.Exists(source))
        {
            return new AdminRequest { Command = AdminCommands.DbRestore, Snapshot = source };
        }

        var path = Path.GetFullPath(source);
        byte[] content;
        try
        {
            // Read as the person running pihub-cli: the service may not see their files (ProtectHome).
            content = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliFailure(ExitCodes.Failed, "not_found", $"Cannot read the backup {path} ({ex.Message}); check the path.", ex);
        }

        return new AdminRequest { Command = AdminCommands.DbRestore, BackupContent = Convert.ToBase64String(content), BackupName = path };
    }

    private static AdminResult WriteBackup(string path, AdminResult result)
    {
        var content = Convert.FromBase64String(result.BackupContent ?? "");
        try
        {
            // Password hashes and TOTP secrets: the file is the caller's alone.
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using var stream = new FileStream(path, options);
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliFailure(ExitCodes.Failed, "write_failed", $"Could not write {path} ({ex.Message}); choose a folder you can write to.", ex);
        }

        return result with
        {
            BackupContent = null,
            Message = $"{result.Message.TrimEnd('.')} written to {path}. Restore it with `pihub-cli db restore {path}`.",
        };
    }
}
