using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using PiHub.Cli.Hosting;
using PiHub.Cli.Output;
using PiHub.Core.Admin;
using PiHub.Configuration;

namespace PiHub.Cli.Commands;

/// <summary><c>config check</c> and <c>power simulate</c>.</summary>
internal static class ConfigCommands
{
    public static Command Config(CliContext cli)
    {
        var path = new Argument<string?>("path") { Description = "The file to check (default: --config, else /etc/pihub/pihub.yaml).", Arity = ArgumentArity.ZeroOrOne };
        var check = new Command("check", "Validate a config file exactly as the service does at start-up, with the same messages.") { path };
        check.SetAction(parse =>
        {
            var json = parse.GetValue(cli.Json);
            var file = parse.GetValue(path) ?? parse.GetValue(cli.Config) ?? (File.Exists(ConfigLoader.DefaultPath) ? ConfigLoader.DefaultPath : null);
            try
            {
                var options = ConfigLoader.Load(file is null ? [] : ["--config", file]).Options;
                var message = (file is null
                        ? $"No config file ({ConfigLoader.DefaultPath} does not exist): PiHub runs on embedded defaults (dev mode)."
                        : $"{file} is valid.") +
                    string.Create(CultureInfo.InvariantCulture, $" HTTP on {options.Http.ServerHost}:{options.Http.ServerPort}, data in {options.Storage.DataDir}, admin socket {options.Admin.Socket}.");
                if (json) cli.Console.Out.WriteLine(JsonSerializer.Serialize(new ConfigCheckResult(true, options.Source, message), CliJsonContext.Default.ConfigCheckResult));
                else cli.Console.Out.WriteLine(message);
                return ExitCodes.Ok;
            }
            catch (ConfigException ex)
            {
                return ResultPrinter.Fail(cli.Console, new CliFailure(ExitCodes.Failed, "invalid_config", ex.Message), json);
            }
            catch (UnauthorizedAccessException ex)
            {
                return ResultPrinter.Fail(cli.Console, CliFailure.NotPermitted($"You may not read {file} ({ex.Message}); run pihub-cli as root (sudo pihub-cli …).", ex), json);
            }
        });
        return CliContext.Group("config", "The config file (pihub.yaml).", check);
    }

    public static Command Power(CliContext cli)
    {
        var state = new Argument<string>("state") { Description = "fail: the power-fail line goes active; restore: power is back." };
        state.AcceptOnlyFromAmong("fail", "restore");
        var simulate = new Command("simulate", "Dev mode: simulate a power failure or its end on the running service's simulated power-fail line.") { state };
        // Only the running service has a pin to drive: a stopped one is refused without opening its store.
        simulate.SetAction((parse, ct) => cli.RunAsync(parse, () => new AdminRequest { Command = AdminCommands.PowerSimulate, State = parse.GetValue(state) },
            ct, serviceOnly: true));
        return CliContext.Group("power", "Power monitoring (dev mode simulation).", simulate);
    }
}

/// <summary><c>pihub-cli config check --json</c>.</summary>
internal sealed record ConfigCheckResult(bool Valid, string Source, string Message);
