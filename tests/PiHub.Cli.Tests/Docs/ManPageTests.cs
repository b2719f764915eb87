using System.CommandLine;
using System.CommandLine.Help;
using System.Reflection;
using PiHub.Testing;

namespace PiHub.Cli.Tests.Docs;

/// <summary>
/// packaging/man/pihub-cli.8 (what <c>man pihub-cli</c> shows on an installed hub) against the CLI's real command
/// tree: every command has an entry with its arguments (those it can do without in brackets) and options, every
/// entry is a command, the global options and exit codes are the real ones, and every example parses. A command
/// added without its page fails here.
/// </summary>
public sealed class ManPageTests
{
    private static readonly Lazy<ManPage> s_page = new(() => ManPage.Load(RepoPaths.InRepo("packaging", "man", "pihub-cli.8")));

    private static ManPage Page => s_page.Value;

    /// <summary>A command's own options; --json, --config and --help (recursive) are in the OPTIONS section.</summary>
    private static HashSet<string> OwnOptions(Command command) =>
        command.Options.Where(o => !o.Recursive && o is not HelpOption and not VersionOption).Select(o => o.Name).ToHashSet(StringComparer.Ordinal);

    private static HashSet<string> GlobalOptions() => CliTree.Root().Options.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);

    public static IEnumerable<TestCaseData> CliCommands() =>
        CliTree.Leaves(CliTree.Root()).Select(l => new TestCaseData(l.Path).SetArgDisplayNames(l.Path));

    [TestCaseSource(nameof(CliCommands))]
    public void Commands_CliCommand_HasAnEntryWithItsArgumentsAndOptions(string path)
    {
        var command = CliTree.Leaf(path);
        var optional = command.Arguments.Where(a => CliTree.IsOptional(path, command, a)).Select(a => a.Name);
        var entry = Page.Entries("COMMANDS").SingleOrDefault(e => e.Name == path);

        Assert.That(entry, Is.Not.Null, $"`pihub-cli {path}` has no .TP entry in the COMMANDS section of packaging/man/pihub-cli.8; add one.");
        Assert.Multiple(() =>
        {
            Assert.That(entry!.TagArguments, Is.EquivalentTo(command.Arguments.Select(a => a.Name)), $"the arguments of `{path}` (\\fIname\\fR in its tag)");
            Assert.That(entry.TagOptionalArguments, Is.EquivalentTo(optional), $"the optional arguments of `{path}` ([\\fIname\\fR] in its tag)");
            Assert.That(entry.TagOptions, Is.EquivalentTo(OwnOptions(command)), $"the options of `{path}` (in its tag)");
            Assert.That(entry.AllOptions, Is.SubsetOf(OwnOptions(command).Union(GlobalOptions())), $"options the entry of `{path}` mentions");
        });
    }

    [Test]
    public void Commands_EveryEntry_IsACliCommand()
    {
        var names = Page.Entries("COMMANDS").Select(e => e.Name).ToList();

        Assert.That(names, Is.Unique, "a command described twice");
        Assert.That(names, Is.SubsetOf(CliTree.Leaves(CliTree.Root()).Select(l => l.Path)), "COMMANDS names a command pihub-cli does not have");
    }

    [Test]
    public void Options_GlobalOptions_AreTheRootCommandsOptions()
    {
        var listed = Page.Entries("OPTIONS").SelectMany(e => e.TagOptions);

        Assert.That(listed, Is.EquivalentTo(GlobalOptions()));
    }

    [Test]
    public void ExitStatus_Listed_AreTheExitCodes()
    {
        var codes = typeof(ExitCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => ((int)f.GetRawConstantValue()!).ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.That(Page.Entries("EXIT STATUS").Select(e => e.Name), Is.EquivalentTo(codes));
    }

    [Test]
    public void Examples_EveryCommandLine_Parses()
    {
        var lines = Page.Literal("EXAMPLES").Where(l => l.Contains("pihub-cli ", StringComparison.Ordinal)).ToList();

        Assert.That(lines, Is.Not.Empty);
        Assert.Multiple(() =>
        {
            foreach (var line in lines)
            {
                var words = line[(line.IndexOf("pihub-cli ", StringComparison.Ordinal) + "pihub-cli ".Length)..]
                    .Split(' ', StringSplitOptions.RemoveEmptyEntries).TakeWhile(w => w != "|" && w != "&&").ToArray();
                var parse = CliTree.Root().Parse(words);
                Assert.That(parse.Errors.Select(e => e.Message), Is.Empty, $"`{line}` in EXAMPLES");
                Assert.That(parse.CommandResult.Command.Subcommands, Is.Empty, $"`{line}` in EXAMPLES names a group, not a command");
            }
        });
    }
}
