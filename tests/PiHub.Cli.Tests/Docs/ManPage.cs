using System.Text.RegularExpressions;

namespace PiHub.Cli.Tests.Docs;

/// <summary>
/// Reads what a man(7) page says about a command line: its sections, and in a section the <c>.TP</c> entries, each a
/// tag line (<c>\fBusers passwd\fR \fIusername\fR [\fB\-\-keep\-tokens\fR]</c>) and the paragraph under it.
/// Only the escapes the PiHub pages use are understood: <c>\-</c> and the font escapes.
/// </summary>
internal sealed partial class ManPage
{
    private readonly Dictionary<string, List<string>> _sections;

    private ManPage(Dictionary<string, List<string>> sections) => _sections = sections;

    public static ManPage Load(string path)
    {
        var sections = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        List<string>? current = null;
        foreach (var raw in File.ReadAllLines(path))
        {
            // \- is the minus of options and command names; a plain - would be a hyphen.
            var line = raw.Replace("\\-", "-", StringComparison.Ordinal);
            if (line.StartsWith(".\\\"", StringComparison.Ordinal)) continue;
            if (line.StartsWith(".SH ", StringComparison.Ordinal))
            {
                current = [];
                sections[line[4..].Trim().Trim('"')] = current;
            }
            else
            {
                current?.Add(line);
            }
        }

        return new ManPage(sections);
    }

    /// <summary>The lines of a section (<c>.SH NAME</c>), comments dropped and <c>\-</c> read as <c>-</c>.</summary>
    public IReadOnlyList<string> Section(string name) =>
        _sections.TryGetValue(name, out var lines) ? lines : throw new AssertionException($"The man page has no {name} section.");

    /// <summary>The <c>.TP</c> entries of a section, in order.</summary>
    public IReadOnlyList<ManEntry> Entries(string section)
    {
        var lines = Section(section);
        var entries = new List<ManEntry>();
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i] != ".TP" || i + 1 >= lines.Count) continue;
            var body = lines.Skip(i + 2).TakeWhile(l => l != ".TP" && !l.StartsWith(".SS", StringComparison.Ordinal)).ToList();
            entries.Add(new ManEntry(lines[i + 1], body));
        }

        return entries;
    }

    /// <summary>The lines between <c>.nf</c> and <c>.fi</c> in a section (the examples' command lines).</summary>
    public IEnumerable<string> Literal(string section)
    {
        var inside = false;
        foreach (var line in Section(section))
        {
            if (line == ".nf") inside = true;
            else if (line == ".fi") inside = false;
            else if (inside) yield return line.Replace("\\e", "\\", StringComparison.Ordinal);
        }
    }

    /// <summary>Every <c>--option</c> a line names (font escapes aside: <c>\fB--all\fR</c> names <c>--all</c>).</summary>
    public static IEnumerable<string> Options(string text) => OptionName().Matches(FontEscape().Replace(text, "")).Select(m => m.Value);

    [GeneratedRegex(@"(?<![\w-])--[a-z][a-z-]*")]
    private static partial Regex OptionName();

    [GeneratedRegex(@"\\f[BIRP]")]
    private static partial Regex FontEscape();
}

/// <summary>One <c>.TP</c> entry: the tag line and the paragraph under it.</summary>
internal sealed partial record ManEntry(string Tag, IReadOnlyList<string> Body)
{
    /// <summary>The bold words the tag starts with: the command path (<c>users passwd</c>), or the option or code.</summary>
    public string Name => LeadingBold().Match(Tag) is { Success: true } m ? m.Groups[1].Value
        : Tag.StartsWith(".B ", StringComparison.Ordinal) ? Tag[3..].Trim().Trim('"')
        : throw new AssertionException($"The man page entry `{Tag}` does not start with a bold name (\\fB…\\fR or .B).");

    /// <summary>The options the tag shows (<c>[\fB\-\-name\fR \fIname\fR]</c> gives <c>--name</c>).</summary>
    public IReadOnlySet<string> TagOptions => ManPage.Options(Tag).ToHashSet(StringComparer.Ordinal);

    /// <summary>The italic words of the tag that are not an option's value: the arguments.</summary>
    public IReadOnlySet<string> TagArguments => Italic().Matches(OptionValue().Replace(Tag, "$1"))
        .Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

    /// <summary>The arguments the tag shows in brackets, as optional: <c>[\fIpath\fR]</c> gives <c>path</c>.</summary>
    public IReadOnlySet<string> TagOptionalArguments => BracketedItalic().Matches(OptionValue().Replace(Tag, "$1"))
        .Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

    /// <summary>Every option the tag or the paragraph names.</summary>
    public IReadOnlySet<string> AllOptions => ManPage.Options(string.Join('\n', Body.Prepend(Tag))).ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"^\\fB([^\\]+)\\f[RP]")]
    private static partial Regex LeadingBold();

    [GeneratedRegex(@"\\fI([^\\]+)\\f[RP]")]
    private static partial Regex Italic();

    [GeneratedRegex(@"\[\\fI([^\\]+)\\f[RP]\]")]
    private static partial Regex BracketedItalic();

    /// <summary>An option followed by its value, <c>--name\fR \fIname\fR</c>.</summary>
    [GeneratedRegex(@"(--[a-z][a-z-]*\\f[RP]) \\fI[^\\]+\\f[RP]")]
    private static partial Regex OptionValue();
}
