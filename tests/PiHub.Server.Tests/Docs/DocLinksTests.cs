using System.Text;
using System.Text.RegularExpressions;
using PiHub.Testing;

namespace PiHub.Server.Tests.Docs;

/// <summary>Every relative link in README.md and docs/*.md points to a file that exists and, with #anchor, to a heading in it.</summary>
public sealed partial class DocLinksTests
{
    public static IEnumerable<TestCaseData> Links() =>
        DocPages.Files.SelectMany(file => Link().Matches(Prose(File.ReadAllText(file)))
            .Select(m => m.Groups["target"].Value)
            .Where(target => !target.Contains("://", StringComparison.Ordinal) && !target.StartsWith("mailto:", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .Select(target => new TestCaseData(file, target).SetArgDisplayNames($"{DocPages.Name(file)} → {target}")));

    [Test]
    public void Links_Found_IncludeEveryDocsPageFromTheReadme()
    {
        var fromReadme = Links().Where(l => DocPages.Name((string)l.Arguments[0]!) == "README.md").Select(l => ((string)l.Arguments[1]!).Split('#')[0]);

        Assert.That(fromReadme, Is.SupersetOf(DocPages.Files.Skip(1).Select(DocPages.Name)));
    }

    [TestCaseSource(nameof(Links))]
    public void Link_Relative_Resolves(string file, string target)
    {
        var parts = target.Split('#', 2);
        var path = parts[0].Length == 0 ? file : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, Uri.UnescapeDataString(parts[0])));

        Assert.That(File.Exists(path) || Directory.Exists(path), Is.True, $"{target}: {path} does not exist");
        if (parts.Length == 2)
        {
            Assert.That(path, Does.EndWith(".md"), $"{target}: an anchor into a file that is not Markdown");
            Assert.That(Anchors(File.ReadAllText(path)), Does.Contain(parts[1]), $"{target}: no heading with that anchor in {DocPages.Name(path)}");
        }
    }

    [TestCase("## Install on Raspberry Pi OS / Debian", "install-on-raspberry-pi-os--debian")]
    [TestCase("## Long-lived access tokens (Tasker, scripts, Plex)", "long-lived-access-tokens-tasker-scripts-plex")]
    [TestCase("### Locked out?", "locked-out")]
    public void Anchors_GitHubRules_MatchGitHub(string heading, string anchor)
    {
        Assert.That(Anchors(heading), Is.EqualTo(new[] { anchor }));
    }

    /// <summary>GitHub's anchors: lower-case, punctuation dropped, spaces to '-', "-1", "-2"… for repeats.</summary>
    internal static List<string> Anchors(string markdown)
    {
        var anchors = new List<string>();
        foreach (Match heading in Heading().Matches(Prose(markdown)))
        {
            var slug = new StringBuilder();
            foreach (var c in heading.Groups[1].Value.Trim().ToLowerInvariant())
            {
                if (char.IsLetterOrDigit(c) || c is '-' or '_') slug.Append(c);
                else if (c == ' ') slug.Append('-');
            }

            var anchor = slug.ToString();
            var repeats = anchors.Count(a => a == anchor || a.StartsWith(anchor + "-", StringComparison.Ordinal) && int.TryParse(a[(anchor.Length + 1)..], out _));
            anchors.Add(repeats == 0 ? anchor : $"{anchor}-{repeats}");
        }

        return anchors;
    }

    /// <summary>The text outside fenced code blocks (a '#' comment in a shell example is no heading).</summary>
    private static string Prose(string markdown) => Fence().Replace(markdown, "");

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"^#{1,6} (.+)$", RegexOptions.Multiline)]
    private static partial Regex Heading();

    [GeneratedRegex(@"^```.*?^```[ \t]*$", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex Fence();
}
