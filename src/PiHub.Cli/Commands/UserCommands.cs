using System.CommandLine;
using PiHub.Core.Admin;

namespace PiHub.Cli.Commands;

/// <summary><c>users …</c> and <c>owner …</c>.</summary>
internal static class UserCommands
{
    public static Command Users(CliContext cli)
    {
        var addName = new Option<string?>("--name") { Description = "The display name (default: the username)." };
        var admin = new Option<bool>("--admin") { Description = "An administrator (manages users and settings)." };
        var readOnly = new Option<bool>("--read-only") { Description = "A read-only user (sees, cannot change)." };
        var addStdin = PasswordInput.StdinOption();
        var addUser = CliContext.Username("The new user's username (how they log in).");
        var add = cli.Leaf("add", "Create a user with a username and password (asked twice, never echoed).", parse =>
        {
            if (parse.GetValue(admin) && parse.GetValue(readOnly)) throw Hosting.CliFailure.Usage("Choose --admin or --read-only, not both.");
            var username = parse.GetValue(addUser)!;
            return new AdminRequest
            {
                Command = AdminCommands.UsersAdd,
                Username = username,
                Name = parse.GetValue(addName),
                Role = parse.GetValue(admin) ? "admin" : parse.GetValue(readOnly) ? "read-only" : "user",
                Password = PasswordInput.Read(cli.Console, parse.GetValue(addStdin), username),
            };
        }, addUser, addName, admin, readOnly, addStdin);

        var passwdStdin = PasswordInput.StdinOption();
        var keep = new Option<bool>("--keep-tokens") { Description = "Keep the user's sessions and tokens (default: end them all)." };
        var passwdUser = CliContext.Username();
        var passwd = cli.Leaf("passwd", "Set a user's password (forgotten password); ends their sessions unless --keep-tokens.", parse =>
        {
            var username = parse.GetValue(passwdUser)!;
            return new AdminRequest
            {
                Command = AdminCommands.UsersPasswd,
                Username = username,
                KeepTokens = parse.GetValue(keep),
                Password = PasswordInput.Read(cli.Console, parse.GetValue(passwdStdin), username),
            };
        }, passwdUser, passwdStdin, keep);

        var renameUser = CliContext.Username();
        var newUsername = new Argument<string>("new-username") { Description = "The username they log in with from now on." };
        var renameName = new Option<string?>("--name") { Description = "Also change the display name." };
        var rename = cli.Leaf("rename", "Change a user's username (and with --name, their display name).", parse => new AdminRequest
        {
            Command = AdminCommands.UsersRename,
            Username = parse.GetValue(renameUser),
            NewUsername = parse.GetValue(newUsername),
            Name = parse.GetValue(renameName),
        }, renameUser, newUsername, renameName);

        return CliContext.Group("users", "List and manage the people who can log in.",
            cli.Leaf("list", "List users: username, name, role, enabled, MFA, tokens.", _ => new AdminRequest { Command = AdminCommands.UsersList }),
            add,
            passwd,
            Simple(cli, "disable", "Stop a user from logging in; their sessions and tokens stop working.", AdminCommands.UsersDisable),
            Simple(cli, "enable", "Let a disabled user log in again.", AdminCommands.UsersEnable),
            Simple(cli, "remove", "Delete a user with their password, MFA set-up and tokens (not the owner).", AdminCommands.UsersRemove),
            rename);
    }

    public static Command Owner(CliContext cli)
    {
        return CliContext.Group("owner", "Show or hand on the hub's owner (exactly one, always an administrator).",
            cli.Leaf("show", "Show who owns the hub.", _ => new AdminRequest { Command = AdminCommands.OwnerShow }),
            Simple(cli, "transfer", "Make a user the owner; the old owner stays an administrator. With no owner, this closes onboarding.", AdminCommands.OwnerTransfer));
    }

    /// <summary>A verb that takes one username.</summary>
    internal static Command Simple(CliContext cli, string name, string description, string command)
    {
        var username = CliContext.Username();
        return cli.Leaf(name, description, parse => new AdminRequest { Command = command, Username = parse.GetValue(username) }, username);
    }
}
