using System.Text.RegularExpressions;
using PiHub.Testing;

namespace PiHub.Cli.Tests.Docs;

/// <summary>
/// Every `pihub-cli …` the hub prints (src/) or the documentation shows (README.md, docs/*.md) must be a command that exists: it parses, and
/// its <c>--help</c> works. Placeholders such as &lt;username&gt; or {ban.Id} stand for a value.
/// </summary>
public sealed partial class CliMentionsTests
{
    public static IEnumerable<TestCaseData> Mentions()
    {
        var files = Directory.EnumerateFiles(RepoPaths.InRepo("src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal))
            .Concat(DocPages.Files);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            var spans = CodeSpan().Matches(text).Select(m => m.Groups[1].Value)
                .Concat(file.EndsWith(".md", StringComparison.Ordinal) ? FencedLine().Matches(text).Select(m => m.Groups[1].Value) : []);
            foreach (var span in spans)
            {
                var at = span.IndexOf("pihub-cli", StringComparison.Ordinal);
                if (at < 0) continue;
                var command = span[(at + "pihub-cli".Length)..].Trim();
                // Built at run time from a real command path (CliApp's "Run `pihub-cli … --help`").
                if (command.Contains("{(", StringComparison.Ordinal)) continue;
                if (seen.Add(command)) yield return new TestCaseData(command).SetArgDisplayNames($"pihub-cli {command} ({Path.GetRelativePath(RepoPaths.Root, file)})");
            }
        }
    }

    [Test]
    public void Mentions_Found_IncludesTheMessagesOfTheHub()
    {
        var all = Mentions().Select(m => (string)m.Arguments[0]!).ToList();

        Assert.That(all, Does.Contain("users passwd <username>").And.Contain("db check").And.Contain("status"));
    }

    [Test]
    public void Mentions_Found_IncludeTheDocsPages()
    {
        var all = Mentions().Select(m => (string)m.Arguments[0]!).ToList();

        // Only docs/cli.md's table quotes these.
        Assert.That(all, Does.Contain("tokens create <username> --client Tasker --days 365").And.Contain("users rename <username> <new-username>"));
    }

    [TestCaseSource(nameof(Mentions))]
    public async Task Mention_ParsesAndHasHelp(string command)
    {
        var words = Words(command);
        var console = new CliConsole(new StringWriter(), new StringWriter(), new StringReader(""), false, _ => null);
        var parse = CliApp.Build(console).Parse(words);
        var path = parse.CommandResult.Command;
        var help = new StringWriter();
        var exit = await CliApp.RunAsync([.. CommandPath(words, parse), "--help"], new CliConsole(help, new StringWriter(), new StringReader(""), false, _ => null));

        // The bare `pihub-cli` names the tool, not a command: only its --help must work.
        if (words.Length > 0) Assert.That(parse.Errors.Select(e => e.Message), Is.Empty, $"`pihub-cli {command}` does not parse");
        Assert.That(exit, Is.Zero);
        Assert.That(help.ToString(), Does.Contain(path.Description!.Split('\n')[0]));
    }

    /// <summary>The words of a mention, placeholders replaced by a sample value, shell pipes and "…" dropped.</summary>
    private static string[] Words(string command) =>
        [.. command.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .TakeWhile(w => w != "|" && w != "&&")
            .Where(w => w != "…" && w != "...")
            .Select(w => Placeholder().IsMatch(w) ? "sample" : w.Trim('"', '\''))];

    private static string[] CommandPath(string[] words, System.CommandLine.ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result.Parent is System.CommandLine.Parsing.CommandResult parent; result = parent)
        {
            names.Insert(0, result.Command.Name);
        }

        return [.. names];
    }

    [GeneratedRegex("`([^`\n]*pihub-cli[^`\n]*)`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"^(?:\$ |sudo )?((?:sudo )?pihub-cli\b.*)$", RegexOptions.Multiline)]
    private static partial Regex FencedLine();

    [GeneratedRegex(@"^(<[^>]+>|\{[^}]+\}|\$\w+)$")]
    private static partial Regex Placeholder();
}
