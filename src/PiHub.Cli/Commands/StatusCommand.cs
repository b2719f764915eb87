using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using PiHub.Cli.Hosting;
using PiHub.Cli.Output;
using PiHub.Core.Admin;

namespace PiHub.Cli.Commands;

/// <summary><c>status</c>: is the service running, where is everything, and the store's state.</summary>
internal static class StatusCommand
{
    public static Command Build(CliContext cli)
    {
        var command = new Command("status", "Service running or not, version, where the config, credentials and snapshots are, store health, owner, users, bans, power.");
        command.SetAction((parse, ct) => RunAsync(cli, parse, ct));
        return command;
    }

    private static async Task<int> RunAsync(CliContext cli, ParseResult parse, CancellationToken cancellationToken)
    {
        var json = parse.GetValue(cli.Json);
        var console = cli.Console;
        HubTarget target;
        try
        {
            target = cli.LoadTarget(parse);
        }
        catch (CliFailure failure)
        {
            return ResultPrinter.Fail(console, failure, json);
        }

        AdminResult result;
        AdminPath path;
        try
        {
            (result, path) = await AdminRunner.RunAsync(target, new AdminRequest { Command = AdminCommands.Status }, console, cancellationToken).ConfigureAwait(false);
        }
        catch (CliFailure failure)
        {
            // Where things are is worth printing even when the store cannot be read.
            if (!json) WriteLocations(console.Out, target, running: null);
            return ResultPrinter.Fail(console, failure, json);
        }

        var running = path == AdminPath.Service;
        if (json)
        {
            var view = new CliStatus(running, running ? "admin socket" : "store files", target.ConfigSource, target.Socket, CliVersion.Text, result.Status!);
            console.Out.WriteLine(JsonSerializer.Serialize(view, CliJsonContext.Default.CliStatus));
            return ExitCodes.Ok;
        }

        var s = result.Status!;
        var output = console.Out;
        output.WriteLine($"PiHub {s.Version} (pihub-cli {CliVersion.Text})");
        WriteLocations(output, target, running);
        Line(output, "Credentials", $"{s.AuthFile} (users, password hashes, tokens, MFA secrets: change them with pihub-cli, not by hand)");
        Line(output, "Snapshots", s.LastSnapshot is { } last
            ? string.Create(CultureInfo.InvariantCulture, $"{s.SnapshotDir} ({s.SnapshotCount}; newest {last.Name}, {Table.Time(last.TakenAt)})")
            : $"{s.SnapshotDir} (none yet)");
        Line(output, "Store", string.Create(CultureInfo.InvariantCulture, $"{s.StoreHealth}, generation {s.Generation}"));
        if (s.Recovery is { } recovery) Line(output, "Recovered", recovery);
        Line(output, "Owner", s.Owner is { } o ? $"{o.Username ?? "-"} ({o.Name})" : "none");
        Line(output, "Users", string.Create(CultureInfo.InvariantCulture, $"{s.Users} ({s.UsersWithMfa} with MFA)"));
        Line(output, "Bans", string.Create(CultureInfo.InvariantCulture, $"{s.ActiveBans} active"));
        Line(output, "Onboarding", s.OnboardingDone ? "done" : s.RecoveryMode ? "open in recovery mode (needs the one-time code)" : "open (no owner yet)");
        Line(output, "Power", s.Power);
        return ExitCodes.Ok;
    }

    private static void WriteLocations(TextWriter output, HubTarget target, bool? running)
    {
        if (running is { } r)
        {
            Line(output, "Service", r ? $"running; pihub-cli talks to it over {target.Socket}" : "stopped; pihub-cli opened the store files itself");
        }

        Line(output, "Config", target.ConfigSource);
        Line(output, "Data folder", target.DataDir);
        Line(output, "Admin socket", target.Socket);
    }

    private static void Line(TextWriter output, string label, string value) => output.WriteLine($"{label + ":",-14}{value}");
}

/// <summary><c>pihub-cli status --json</c>: where pihub-cli found the hub, and the hub's own status.</summary>
internal sealed record CliStatus(bool ServiceRunning, string Via, string Config, string Socket, string CliVersion, AdminStatus Hub);

/// <summary>Source-generated JSON for what only the CLI prints.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = true)]
[JsonSerializable(typeof(CliStatus))]
[JsonSerializable(typeof(ConfigCheckResult))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
