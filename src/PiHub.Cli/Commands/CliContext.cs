using System.CommandLine;
using PiHub.Cli.Hosting;
using PiHub.Cli.Output;
using PiHub.Core.Admin;
using PiHub.Configuration;

namespace PiHub.Cli.Commands;

/// <summary>What every command shares: the global options, the console, and running a request.</summary>
internal sealed class CliContext(CliConsole console)
{
    public CliConsole Console { get; } = console;

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print the result as JSON, for scripts (errors too, besides the sentence on stderr).",
        Recursive = true,
    };

    public Option<string?> Config { get; } = new("--config")
    {
        Description = "The PiHub config file. Default: /etc/pihub/pihub.yaml when it exists, else dev mode (./.pihub).",
        HelpName = "path",
        Recursive = true,
    };

    /// <summary>
    /// Runs one request on the service or the store and prints the result; returns the exit code.
    /// <paramref name="serviceOnly"/>: the operation needs the running service, and fails when it is stopped.
    /// </summary>
    public async Task<int> RunAsync(ParseResult parse, Func<AdminRequest> build, CancellationToken cancellationToken,
        Func<AdminResult, AdminResult>? after = null, bool serviceOnly = false)
    {
        var json = parse.GetValue(Json);
        try
        {
            var request = build();
            var target = LoadTarget(parse);
            var (result, _) = await AdminRunner.RunAsync(target, request, Console, cancellationToken, serviceOnly).ConfigureAwait(false);
            if (after is not null) result = after(result);
            ResultPrinter.Print(Console, result, json);
            // db check answers with a report either way; a damaged store is a failed check.
            return result.Check is { Healthy: false } ? ExitCodes.Failed : ExitCodes.Ok;
        }
        catch (CliFailure failure)
        {
            return ResultPrinter.Fail(Console, failure, json);
        }
    }

    /// <summary>The hub this invocation administers; a bad config file is a failure naming the fix.</summary>
    public HubTarget LoadTarget(ParseResult parse)
    {
        try
        {
            return HubTarget.Load(parse.GetValue(Config));
        }
        catch (ConfigException ex)
        {
            throw new CliFailure(ExitCodes.Failed, "invalid_config", $"configuration error: {ex.Message}");
        }
        catch (UnauthorizedAccessException ex)
        {
            throw CliFailure.NotPermitted($"You may not read the PiHub config ({ex.Message}); run pihub-cli as root (sudo pihub-cli …).", ex);
        }
    }

    /// <summary>A leaf command whose action builds a request and runs it.</summary>
    public Command Leaf(string name, string description, Func<ParseResult, AdminRequest> build, params Symbol[] symbols)
    {
        var command = new Command(name, description);
        foreach (var symbol in symbols)
        {
            switch (symbol)
            {
                case Argument argument: command.Arguments.Add(argument); break;
                case Option option: command.Options.Add(option); break;
            }
        }

        command.SetAction((parse, ct) => RunAsync(parse, () => build(parse), ct));
        return command;
    }

    /// <summary>A noun: a group of verbs, listed by its --help.</summary>
    public static Command Group(string name, string description, params Command[] verbs)
    {
        var command = new Command(name, description);
        foreach (var verb in verbs) command.Subcommands.Add(verb);
        return command;
    }

    public static Argument<string> Username(string description = "The user's username (as in `pihub-cli users list`).") =>
        new("username") { Description = description };
}
