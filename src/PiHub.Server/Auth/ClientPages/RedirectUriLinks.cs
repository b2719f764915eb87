using System.Net;
using System.Text.RegularExpressions;

namespace PiHub.Server.Auth.ClientPages;

/// <summary>
/// Finds the redirect URIs a client's page declares (IndieAuth 4.2.2): <c>&lt;link rel="redirect_uri" href="…"&gt;</c>
/// tags in its HTML (outside comments) and <c>Link: &lt;…&gt;; rel="redirect_uri"</c> headers. Relative ones are
/// resolved against the page's address, as a browser would.
/// </summary>
internal static partial class RedirectUriLinks
{
    private const string Rel = "redirect_uri";

    /// <summary>The URIs declared by <paramref name="html"/> and <paramref name="linkHeaders"/> of the page at <paramref name="page"/>.</summary>
    public static List<string> Find(Uri page, string html, IEnumerable<string> linkHeaders)
    {
        var found = new List<string>();
        var withoutComments = Comment().Replace(html, " ");
        foreach (Match tag in LinkTag().Matches(withoutComments))
        {
            string? rel = null;
            string? href = null;
            foreach (Match attribute in Attribute().Matches(tag.Groups["attrs"].Value))
            {
                var value = WebUtility.HtmlDecode(attribute.Groups["dq"].Success ? attribute.Groups["dq"].Value
                    : attribute.Groups["sq"].Success ? attribute.Groups["sq"].Value : attribute.Groups["bare"].Value);
                var name = attribute.Groups["name"].Value;
                if (name.Equals("rel", StringComparison.OrdinalIgnoreCase)) rel ??= value;
                else if (name.Equals("href", StringComparison.OrdinalIgnoreCase)) href ??= value;
            }

            if (HasRel(rel) && href is not null) Add(found, page, href);
        }

        foreach (var header in linkHeaders)
        {
            foreach (Match link in LinkHeader().Matches(header))
            {
                var parameters = link.Groups["params"].Value;
                var rel = RelParameter().Match(parameters);
                var value = rel.Groups["dq"].Success ? rel.Groups["dq"].Value : rel.Groups["bare"].Value;
                if (rel.Success && HasRel(value)) Add(found, page, link.Groups["uri"].Value);
            }
        }

        return found;
    }

    /// <summary><c>rel</c> is a space-separated list of link types; one of them must be <c>redirect_uri</c>.</summary>
    private static bool HasRel(string? rel) =>
        rel is not null && rel.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Any(token => token.Equals(Rel, StringComparison.OrdinalIgnoreCase));

    private static void Add(List<string> found, Uri page, string href)
    {
        href = href.Trim();
        if (href.Length == 0) return;
        // An absolute href is kept as written (Home Assistant compares strings); "/x" has no scheme, and on Linux
        // Uri would otherwise take it for a file path.
        if (Scheme().IsMatch(href))
        {
            found.Add(href);
            if (Uri.TryCreate(href, UriKind.Absolute, out var absolute) && absolute.AbsoluteUri != href) found.Add(absolute.AbsoluteUri);
        }
        else if (Uri.TryCreate(page, href, out var resolved))
        {
            found.Add(resolved.AbsoluteUri);
        }
    }

    [GeneratedRegex("<!--.*?(-->|$)", RegexOptions.Singleline)]
    private static partial Regex Comment();

    [GeneratedRegex(@"<link(?=[\s/>])(?<attrs>[^>]*)>", RegexOptions.IgnoreCase)]
    private static partial Regex LinkTag();

    [GeneratedRegex("""(?<name>[^\s=/>"']+)(?:\s*=\s*(?:"(?<dq>[^"]*)"|'(?<sq>[^']*)'|(?<bare>[^\s>"']+)))?""")]
    private static partial Regex Attribute();

    [GeneratedRegex(@"<(?<uri>[^>]*)>(?<params>[^,<]*)")]
    private static partial Regex LinkHeader();

    [GeneratedRegex("""(?:^|;)\s*rel\s*=\s*(?:"(?<dq>[^"]*)"|(?<bare>[^\s;,]+))""", RegexOptions.IgnoreCase)]
    private static partial Regex RelParameter();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9+.-]*:")]
    private static partial Regex Scheme();
}
