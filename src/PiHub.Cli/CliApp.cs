using System.CommandLine;
using System.CommandLine.Help;
using PiHub.Cli.Commands;

namespace PiHub.Cli;

/// <summary>
/// pihub-cli: recovery and administration of a PiHub over SSH, with the service running (over its admin
/// socket) or stopped (on the store files, under the service's own lock). Exit codes: see <see cref="ExitCodes"/>.
/// </summary>
internal static class CliApp
{
    public static RootCommand Build(CliConsole console)
    {
        var cli = new CliContext(console);
        var root = new RootCommand(
            "pihub-cli: administer and recover this PiHub from its console or SSH, whether the service is running or stopped.\n" +
            "Exit codes: 0 ok, 1 failed, 2 usage, 3 not permitted, 4 store or service unavailable.")
        {
            cli.Json,
            cli.Config,
        };
        root.Subcommands.Add(StatusCommand.Build(cli));
        root.Subcommands.Add(UserCommands.Users(cli));
        root.Subcommands.Add(UserCommands.Owner(cli));
        root.Subcommands.Add(SecurityCommands.Mfa(cli));
        root.Subcommands.Add(SecurityCommands.Tokens(cli));
        root.Subcommands.Add(SecurityCommands.Bans(cli));
        root.Subcommands.Add(StoreCommands.Onboarding(cli));
        root.Subcommands.Add(StoreCommands.Db(cli));
        root.Subcommands.Add(ConfigCommands.Config(cli));
        root.Subcommands.Add(ConfigCommands.Power(cli));
        return root;
    }

    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken = default)
    {
        var root = Build(console);
        var parse = root.Parse(args);
        var invocation = new InvocationConfiguration { Output = console.Out, Error = console.Error, EnableDefaultExceptionHandler = false };
        if (parse.Errors.Count > 0 && parse.Action is not HelpAction)
        {
            foreach (var error in parse.Errors) await console.Error.WriteLineAsync("pihub-cli: " + error.Message).ConfigureAwait(false);
            var path = string.Join(' ', parse.CommandResult.Command is RootCommand ? [] : Path(parse.CommandResult.Command, root));
            await console.Error.WriteLineAsync($"Run `pihub-cli {(path.Length == 0 ? "" : path + " ")}--help` to see what it takes.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
    }

    private static IEnumerable<string> Path(Command target, Command node)
    {
        foreach (var child in node.Subcommands)
        {
            if (child == target) return [child.Name];
            var below = Path(target, child).ToList();
            if (below.Count > 0) return [child.Name, .. below];
        }

        return [];
    }
}
