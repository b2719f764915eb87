using System.CommandLine;
using PiHub.Cli.Hosting;

namespace PiHub.Cli.Commands;

/// <summary>
/// A new password: typed twice at a prompt that does not echo, or read from stdin with --password-stdin. Never
/// an argument, so it never reaches the shell history or the process list.
/// </summary>
internal static class PasswordInput
{
    public static Option<bool> StdinOption() => new("--password-stdin")
    {
        Description = "Read the password from the first line of standard input instead of asking (for scripts).",
    };

    public static string Read(CliConsole console, bool fromStdin, string whose)
    {
        if (fromStdin)
        {
            var line = console.In.ReadLine();
            if (string.IsNullOrEmpty(line)) throw CliFailure.Usage("--password-stdin read an empty password; pipe it in, e.g. `printf '%s\\n' \"$PASS\" | pihub-cli users passwd alice --password-stdin`.");
            return line;
        }

        if (!console.InputIsTerminal)
        {
            throw CliFailure.Usage("There is no terminal to ask for the password on; pipe it in with --password-stdin (never put a password on the command line).");
        }

        var first = console.ReadSecret($"New password for {whose}: ");
        if (string.IsNullOrEmpty(first)) throw new CliFailure(ExitCodes.Failed, "invalid_format", "No password was typed; nothing was changed. Run the command again.");
        var second = console.ReadSecret("Type it again: ");
        if (!string.Equals(first, second, StringComparison.Ordinal))
        {
            throw new CliFailure(ExitCodes.Failed, "password_mismatch", "The two passwords differ; nothing was changed. Run the command again.");
        }

        return first;
    }
}
