using System.Text;

namespace PiHub.Cli;

/// <summary>
/// Where pihub-cli reads and writes: the process's console in production, strings in tests. Secrets are read
/// without echo from the terminal, never from the command line.
/// </summary>
internal sealed class CliConsole
{
    public CliConsole(TextWriter output, TextWriter error, TextReader input, bool inputIsTerminal, Func<string, string?> readSecret)
    {
        Out = output;
        Error = error;
        In = input;
        InputIsTerminal = inputIsTerminal;
        ReadSecret = readSecret;
    }

    public TextWriter Out { get; }

    public TextWriter Error { get; }

    /// <summary>Standard input (for --password-stdin).</summary>
    public TextReader In { get; }

    /// <summary>True when a person can be asked for a password (stdin is a terminal).</summary>
    public bool InputIsTerminal { get; }

    /// <summary>Shows a prompt and reads a line without echoing it; null at end of input.</summary>
    public Func<string, string?> ReadSecret { get; }

    /// <summary>The real console.</summary>
    public static CliConsole System() =>
        new(Console.Out, Console.Error, Console.In, !Console.IsInputRedirected, ReadWithoutEcho);

    /// <summary>Reads key by key with echo off (<see cref="Console.ReadKey(bool)"/>), so the password never reaches the screen.</summary>
    private static string? ReadWithoutEcho(string prompt)
    {
        Console.Error.Write(prompt);
        var text = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter) break;
            if (key.Key == ConsoleKey.Backspace)
            {
                if (text.Length > 0) text.Length--;
                continue;
            }

            // Ctrl+D on an empty line: the person gave up.
            if (key.Key == ConsoleKey.D && key.Modifiers.HasFlag(ConsoleModifiers.Control) && text.Length == 0) return null;
            if (!char.IsControl(key.KeyChar)) text.Append(key.KeyChar);
        }

        Console.Error.WriteLine();
        return text.ToString();
    }
}
