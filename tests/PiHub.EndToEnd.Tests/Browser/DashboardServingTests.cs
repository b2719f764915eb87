using System.Net;
using System.Text.RegularExpressions;
using PiHub.Testing;

namespace PiHub.EndToEnd.Tests.Browser;

/// <summary>
/// How the published binary serves its embedded dashboard, seen as a browser or a script sees it:
/// security headers, cache lifetimes, compression, and that API paths keep answering JSON.
/// </summary>
[TestFixture]
[Category("Dashboard")]
public partial class DashboardServingTests
{
    private PiHubProcess _hub = null!;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public async Task StartHub()
    {
        var binary = Environment.GetEnvironmentVariable("PIHUB_BINARY_X64") ?? RepoPaths.InRepo("artifacts", "publish", "linux-x64", "pihub");
        if (!File.Exists(binary)) Assert.Ignore($"{binary} does not exist: run scripts/test.sh (it publishes pihub).");
        _hub = await PiHubProcess.StartAsync(binary, []);
        _http = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None, AllowAutoRedirect = false })
        {
            BaseAddress = _hub.BaseUri,
        };
    }

    [OneTimeTearDown]
    public async Task StopHub()
    {
        _http?.Dispose();
        if (_hub is not null) await _hub.DisposeAsync();
    }

    [TestCase("/")]
    [TestCase("/profile")]
    [TestCase("/auth/authorize?response_type=code&client_id=http%3A%2F%2Fapp.local%2F&redirect_uri=http%3A%2F%2Fapp.local%2Fcb")]
    [TestCase("/onboarding.html")]
    public async Task Page_Get_HtmlWithStrictHeadersAndNoCache(string path)
    {
        using var response = await _http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.That(csp, Does.Contain("script-src 'self'").And.Contain("default-src 'none'").And.Not.Contain("unsafe-inline"));
        Assert.That(response.Headers.GetValues("X-Content-Type-Options"), Is.EqualTo(new[] { "nosniff" }));
        Assert.That(response.Headers.GetValues("Referrer-Policy"), Is.EqualTo(new[] { "no-referrer" }));
        Assert.That(response.Headers.CacheControl?.NoCache, Is.True);
        Assert.That(InlineScript().IsMatch(body), Is.False, "every script must be a file the CSP allows");
    }

    [Test]
    public async Task Asset_Get_ImmutableBrotliAndRevalidates()
    {
        var html = await _http.GetStringAsync("/");
        var script = AssetScript().Match(html).Groups[1].Value;
        using var request = new HttpRequestMessage(HttpMethod.Get, script);
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip, br");

        using var response = await _http.SendAsync(request);
        using var again = new HttpRequestMessage(HttpMethod.Get, script);
        again.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip, br");
        again.Headers.TryAddWithoutValidation("If-None-Match", response.Headers.ETag!.Tag);
        using var revalidated = await _http.SendAsync(again);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentEncoding, Is.EqualTo(new[] { "br" }));
        Assert.That(response.Headers.CacheControl?.ToString(), Does.Contain("max-age=31536000").And.Contain("immutable"));
        Assert.That(revalidated.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
    }

    [Test]
    public async Task Authorize_WithGrantType_JsonSayingToPostTokens()
    {
        using var response = await _http.GetAsync("/auth/authorize?grant_type=refresh_token&refresh_token=abc");
        var body = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        Assert.That(body, Does.Contain("POST /auth/token").And.Contain("curl"));
    }

    [Test]
    public async Task UnknownAsset_Get_JsonNotFound()
    {
        using var response = await _http.GetAsync("/assets/missing-0000.js");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("reload the page"));
    }

    [GeneratedRegex(@"<script(?![^>]*\ssrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex("<script[^>]*src=\"(/assets/[^\"]+\\.js)\"")]
    private static partial Regex AssetScript();
}
