using System.CommandLine;
using PiHub.Cli.Hosting;
using PiHub.Core.Admin;

namespace PiHub.Cli.Commands;

/// <summary><c>mfa …</c>, <c>tokens …</c> and <c>bans …</c>.</summary>
internal static class SecurityCommands
{
    public static Command Mfa(CliContext cli) =>
        CliContext.Group("mfa", "Second factors (authenticator apps) and their recovery codes.",
            UserCommands.Simple(cli, "reset", "Remove a user's authenticator app and recovery codes (lost phone); the owner's too.", AdminCommands.MfaReset),
            UserCommands.Simple(cli, "recovery-codes", "Replace a user's recovery codes with 10 new ones, printed once.", AdminCommands.MfaRecoveryCodes));

    public static Command Tokens(CliContext cli)
    {
        var user = new Option<string?>("--user") { Description = "Only this user's.", HelpName = "username" };
        var id = new Argument<string>("id") { Description = "The token id, as `pihub-cli tokens list` shows it." };
        var owner = CliContext.Username("Whose token it is.");
        var client = new Option<string>("--client") { Description = "A name for the token, e.g. \"Tasker on my phone\".", Required = true };
        var days = new Option<int>("--days") { Description = "How long it works, in days (1–3650).", DefaultValueFactory = _ => 3650 };
        return CliContext.Group("tokens", "Login sessions (refresh tokens) and long-lived access tokens.",
            cli.Leaf("list", "List sessions and tokens (never their secrets).", parse => new AdminRequest { Command = AdminCommands.TokensList, Username = parse.GetValue(user) }, user),
            cli.Leaf("revoke", "Revoke a session or token: its access tokens and connections stop at once.", parse => new AdminRequest { Command = AdminCommands.TokensRevoke, TokenId = parse.GetValue(id) }, id),
            cli.Leaf("create", "Create a long-lived access token for a user and print it once.", parse => new AdminRequest
            {
                Command = AdminCommands.TokensCreate,
                Username = parse.GetValue(owner),
                Client = parse.GetValue(client),
                Days = parse.GetValue(days),
            }, owner, client, days));
    }

    public static Command Bans(CliContext cli)
    {
        var address = new Argument<string?>("address") { Description = "The banned address, as `pihub-cli bans list` shows it.", Arity = ArgumentArity.ZeroOrOne };
        var all = new Option<bool>("--all") { Description = "Lift every ban." };
        return CliContext.Group("bans", "Addresses banned after failed logins.",
            cli.Leaf("list", "List banned addresses and until when.", _ => new AdminRequest { Command = AdminCommands.BansList }),
            cli.Leaf("lift", "Lift the ban of an address (or every ban with --all) at once.", parse =>
            {
                var one = parse.GetValue(address);
                var every = parse.GetValue(all);
                if (every == (one is not null))
                {
                    throw CliFailure.Usage("Give one address (pihub-cli bans lift 192.168.1.20) or --all, not both and not neither.");
                }

                return new AdminRequest { Command = AdminCommands.BansLift, Address = one, All = every };
            }, address, all));
    }
}
