using System.Text.RegularExpressions;

namespace PiHub.Cli.Tests.Docs;

/// <summary>
/// The Usage line of every command's <c>--help</c>, as pihub-cli prints it: an argument the command can do without
/// is shown in brackets (<c>[&lt;path&gt;]</c>), one it needs is not (<c>&lt;id&gt;</c>).
/// </summary>
public sealed class HelpUsageTests
{
    public static IEnumerable<TestCaseData> CliCommands() =>
        CliTree.Leaves(CliTree.Root()).Where(l => l.Command.Arguments.Count > 0).Select(l => new TestCaseData(l.Path).SetArgDisplayNames(l.Path));

    [TestCase("config check", "config check [<path>] [options]")]
    [TestCase("bans lift", "bans lift [<address>] [options]")]
    [TestCase("tokens revoke", "tokens revoke <id> [options]")]
    [TestCase("users rename", "users rename <username> <new-username> [options]")]
    public async Task Help_Usage_IsThisLine(string path, string usage)
    {
        Assert.That(await UsageAsync(path), Is.EqualTo(usage));
    }

    [TestCaseSource(nameof(CliCommands))]
    public async Task Help_Usage_BracketsExactlyTheArgumentsTheCommandCanDoWithout(string path)
    {
        var command = CliTree.Leaf(path);
        var usage = await UsageAsync(path);

        Assert.Multiple(() =>
        {
            foreach (var argument in command.Arguments)
            {
                var name = Regex.Escape($"<{argument.Name}>");
                if (CliTree.IsOptional(path, command, argument))
                {
                    Assert.That(usage, Does.Match($@"\[{name}"), $"`pihub-cli {usage}`: <{argument.Name}> may be left out");
                }
                else
                {
                    Assert.That(usage, Does.Match($@"(?<!\[){name}"), $"`pihub-cli {usage}`: <{argument.Name}> is required");
                }
            }
        });
    }

    [Test]
    public void CliCommands_Arguments_IncludeOptionalAndRequiredOnes()
    {
        var arguments = CliTree.Leaves(CliTree.Root())
            .SelectMany(l => l.Command.Arguments.Select(a => CliTree.IsOptional(l.Path, l.Command, a))).ToList();

        Assert.That(arguments, Does.Contain(true).And.Contain(false));
    }

    /// <summary>
    /// The Usage section of <c>pihub-cli {path} --help</c>, run as a user runs it, on one line without its first word
    /// (the executable's name: testhost here).
    /// </summary>
    private static async Task<string> UsageAsync(string path)
    {
        var help = new StringWriter();
        var console = new CliConsole(help, new StringWriter(), new StringReader(""), false, _ => null);
        var exit = await CliApp.RunAsync([.. path.Split(' '), "--help"], console);
        Assert.That(exit, Is.Zero);

        var lines = help.ToString().Split('\n').Select(l => l.Trim()).SkipWhile(l => l != "Usage:").Skip(1).TakeWhile(l => l.Length > 0);
        var usage = string.Join(' ', lines);
        return usage[(usage.IndexOf(' ', StringComparison.Ordinal) + 1)..];
    }
}
