using System.CommandLine;
using System.CommandLine.Parsing;

namespace PiHub.Cli.Tests.Docs;

/// <summary>The CLI's real command tree, as the documentation tests walk it.</summary>
internal static class CliTree
{
    public static RootCommand Root() =>
        CliApp.Build(new CliConsole(new StringWriter(), new StringWriter(), new StringReader(""), false, _ => null));

    /// <summary>Every command a user runs (those without verbs under them), by path: <c>users passwd</c>.</summary>
    public static IEnumerable<(string Path, Command Command)> Leaves(Command command, string path = "")
    {
        if (command.Subcommands.Count == 0 && path.Length > 0) yield return (path, command);
        foreach (var child in command.Subcommands)
        {
            foreach (var leaf in Leaves(child, path.Length == 0 ? child.Name : $"{path} {child.Name}")) yield return leaf;
        }
    }

    public static Command Leaf(string path) => Leaves(Root()).Single(l => l.Path == path).Command;

    /// <summary>
    /// Whether the parser lets a user leave the argument out: <c>pihub-cli {path}</c> with a value for each argument
    /// before it and none for it reports no error about it. Judged by parsing, not by the argument's declared arity,
    /// so help and man page are held to what the command really accepts.
    /// </summary>
    public static bool IsOptional(string path, Command command, Argument argument)
    {
        var before = command.Arguments.TakeWhile(a => a != argument).Select(_ => "sample");
        var parse = Root().Parse([.. path.Split(' '), .. before]);
        return !parse.Errors.Any(e => e.SymbolResult is ArgumentResult result && result.Argument.Name == argument.Name);
    }
}
