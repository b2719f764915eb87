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
    private static readonly string[] s_helpNames = ["--help", "-h", "-?", "/?", "/h"];

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
        // --help hides parse errors, which is right for a missing argument (help is what the user asked for), but a
        // word that is no command must stay an error, or `pihub-cli usrs --help` prints the root help and exits 0:
        // the line is checked once more without its --help.
        var line = parse.Action is HelpAction ? root.Parse(args.Where(a => !s_helpNames.Contains(a)).ToArray()) : parse;
        if ((parse.Errors.Count > 0 && parse.Action is not HelpAction) || line.UnmatchedTokens.Count > 0)
        {
            foreach (var error in line.Errors) await console.Error.WriteLineAsync("pihub-cli: " + error.Message).ConfigureAwait(false);
            var path = string.Join(' ', line.CommandResult.Command is RootCommand ? [] : Path(line.CommandResult.Command, root));
            var prefix = path.Length == 0 ? "" : path + " ";
            if (Closest(line.CommandResult.Command, line.UnmatchedTokens) is { } closest)
            {
                await console.Error.WriteLineAsync($"Did you mean `pihub-cli {(prefix + closest)}`?").ConfigureAwait(false);
            }

            await console.Error.WriteLineAsync($"Run `pihub-cli {(prefix + "--help")}` to see what it takes.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The subcommand of <paramref name="command"/> nearest to the first word it did not understand, if one is near.</summary>
    internal static string? Closest(Command command, IReadOnlyList<string> unmatched)
    {
        if (unmatched.Count == 0 || command.Subcommands.Count == 0) return null;
        var word = unmatched[0].ToLowerInvariant();
        var (name, distance) = command.Subcommands.Select(c => (c.Name, Distance: EditDistance(word, c.Name))).MinBy(c => c.Distance);
        // A typo is a few letters off; a word that shares nothing with any command gets no guess.
        return distance <= Math.Max(2, name.Length / 2) ? name : null;
    }

    private static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
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
