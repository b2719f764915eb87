using System.Text.RegularExpressions;

namespace PiHub.Testing;

/// <summary>A fenced code block of a documentation page, with its <c>&lt;!-- doc-test: name --&gt;</c> tag if it has one.</summary>
public sealed record DocBlock(string Page, string Language, string Code, string? Tag);

/// <summary>
/// The documentation pages (README.md and docs/*.md) as the doc tests read them: every page is checked the same
/// way, so an example moved from one page to another stays tested.
/// </summary>
public static partial class DocPages
{
    /// <summary>README.md, then docs/*.md in name order, as absolute paths.</summary>
    public static IReadOnlyList<string> Files { get; } =
        [RepoPaths.InRepo("README.md"), .. Directory.EnumerateFiles(RepoPaths.InRepo("docs"), "*.md").Order(StringComparer.Ordinal)];

    /// <summary>A page's path relative to the repository (README.md, docs/api.md), for messages.</summary>
    public static string Name(string file) => Path.GetRelativePath(RepoPaths.Root, file);

    /// <summary>Every fenced code block of every page.</summary>
    public static IEnumerable<DocBlock> Blocks() =>
        Files.SelectMany(file => Fenced().Matches(File.ReadAllText(file)).Select(m => new DocBlock(
            Name(file), m.Groups["lang"].Value, m.Groups["code"].Value, m.Groups["tag"].Success ? m.Groups["tag"].Value : null)));

    /// <summary>The tagged examples by tag, over every page; a tag used twice is an error (one example, one test).</summary>
    public static Dictionary<string, string> Examples()
    {
        var examples = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var block in Blocks().Where(b => b.Tag is not null))
        {
            if (!examples.TryAdd(block.Tag!, block.Code))
            {
                throw new InvalidOperationException($"The doc-test tag {block.Tag} is used twice (again in {block.Page}): give each example its own.");
            }
        }

        return examples;
    }

    /// <summary>The text of every inline code span (`…`) of every page, with its page.</summary>
    public static IEnumerable<(string Page, string Span)> CodeSpans() =>
        Files.SelectMany(file => Span().Matches(Fenced().Replace(File.ReadAllText(file), "")).Select(m => (Name(file), m.Groups[1].Value)));

    [GeneratedRegex(@"(?:<!-- doc-test: (?<tag>[\w-]+) -->\s*)?^```(?<lang>\w*)\n(?<code>.*?)^```[ \t]*$", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex Fenced();

    [GeneratedRegex("`([^`\n]+)`")]
    private static partial Regex Span();
}
