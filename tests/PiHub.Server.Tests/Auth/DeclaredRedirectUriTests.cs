using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using PiHub.Core.Auth.Validation;
using PiHub.Server.Tests.Infrastructure;

namespace PiHub.Server.Tests.Auth;

/// <summary>
/// IndieAuth redirect URIs off the client's host: the hub reads the client_id page (a second Kestrel on loopback) and
/// accepts only the URIs it declares, as Home Assistant does; every refusal says what the client's developer must add.
/// </summary>
public class DeclaredRedirectUriTests
{
    private const string OffHost = "com.example.app://oauth-callback";

    private static async Task<TestHub> StartHubAsync(TimeProvider? time = null, TimeSpan? pageTimeout = null)
    {
        // The client's site is a second Kestrel on loopback, which the hub reads only when told to.
        var hub = await TestHub.StartAsync(time: time, services: s => ClientSite.ReadPagesOnLoopback(s, pageTimeout));
        (await hub.OnboardAsync()).Dispose();
        return hub;
    }

    private static async Task<(HttpStatusCode Status, JsonNode Body)> StartFlowAsync(TestHub hub, Uri clientId, string redirectUri)
    {
        var request = new JsonObject
        {
            ["client_id"] = clientId.ToString(),
            ["handler"] = new JsonArray("homeassistant", null),
            ["redirect_uri"] = redirectUri,
        };
        using var response = await hub.Http.PostAsync("/auth/login_flow", TestHub.Json(request.ToJsonString()));
        return (response.StatusCode, await TestHub.JsonAsync(response));
    }

    private static string Page(string head) => $"<!doctype html><html><head><title>Client</title>{head}</head><body>An app</body></html>";

    [Test]
    public async Task StartLoginFlow_RedirectUriDeclaredByLinkTag_FlowStarts()
    {
        await using var site = await ClientSite.StartAsync(app =>
            app.MapGet("/", c => ClientSite.Html(c, Page($"<link rel=\"redirect_uri\" href=\"{OffHost}\">"))));
        await using var hub = await StartHubAsync();

        var (status, body) = await StartFlowAsync(hub, site.BaseUri, OffHost);

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToJsonString());
        Assert.That(body["type"]!.GetValue<string>(), Is.EqualTo("form"));
    }

    [Test]
    public async Task StartLoginFlow_RelativeHrefAfterARedirect_ResolvedAgainstThePageReached()
    {
        // The client id (127.0.0.1) redirects to its page on another host name (localhost, the same loopback site),
        // whose relative href therefore names a URI off the client id's host.
        await using var site = await ClientSite.StartAsync(app =>
        {
            app.MapGet("/app", c =>
            {
                c.Response.Redirect($"http://localhost:{c.Request.Host.Port}/pages/app");
                return Task.CompletedTask;
            });
            app.MapGet("/pages/app", c => ClientSite.Html(c, Page("<LINK REL='alternate redirect_uri' HREF='callback?x=1&amp;y=2'>")));
        });
        await using var hub = await StartHubAsync();
        var declared = $"http://localhost:{site.BaseUri.Port}/pages/callback?x=1&y=2";

        var (status, body) = await StartFlowAsync(hub, new Uri(site.BaseUri, "/app"), declared);
        var (_, undeclared) = await StartFlowAsync(hub, new Uri(site.BaseUri, "/app"), declared.Replace("x=1", "x=2", StringComparison.Ordinal));

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToJsonString());
        Assert.That(undeclared["code"]!.GetValue<string>(), Is.EqualTo("invalid_request"));
    }

    [Test]
    public async Task StartLoginFlow_RedirectUriDeclaredByLinkHeader_FlowStarts()
    {
        await using var site = await ClientSite.StartAsync(app => app.MapGet("/", c =>
        {
            c.Response.Headers.Append("Link", $"</style.css>; rel=stylesheet, <{OffHost}>; rel=\"redirect_uri\"");
            return ClientSite.Html(c, Page(""));
        }));
        await using var hub = await StartHubAsync();

        var (status, body) = await StartFlowAsync(hub, site.BaseUri, OffHost);

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToJsonString());
    }

    [Test]
    public async Task StartLoginFlow_RedirectUriNotDeclared_400SayingWhatToAdd()
    {
        await using var site = await ClientSite.StartAsync(app => app.MapGet("/", c =>
            ClientSite.Html(c, Page("<!-- <link rel=\"redirect_uri\" href=\"com.example.app://oauth-callback\"> -->" +
                "<link rel=\"redirect_uri\" href=\"com.example.app://other\">"))));
        await using var hub = await StartHubAsync();

        var (status, body) = await StartFlowAsync(hub, site.BaseUri, OffHost);

        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body["code"]!.GetValue<string>(), Is.EqualTo("invalid_request"));
        Assert.That(body["message"]!.GetValue<string>(), Does.Contain($"the page at {site.BaseUri} does not declare it")
            .And.Contain($"must add <link rel=\"redirect_uri\" href=\"{OffHost}\">"));
    }

    [Test]
    public async Task StartLoginFlow_DeclarationPast10KB_NotSeen()
    {
        var filler = new string('0', 10 * 1024);
        await using var site = await ClientSite.StartAsync(app =>
        {
            app.MapGet("/early", c => ClientSite.Html(c, $"<link rel=\"redirect_uri\" href=\"{OffHost}\">{filler}"));
            app.MapGet("/late", c => ClientSite.Html(c, $"{filler}<link rel=\"redirect_uri\" href=\"{OffHost}\">"));
        });
        await using var hub = await StartHubAsync();

        var (early, _) = await StartFlowAsync(hub, new Uri(site.BaseUri, "/early"), OffHost);
        var (late, body) = await StartFlowAsync(hub, new Uri(site.BaseUri, "/late"), OffHost);

        Assert.That(early, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(late, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body["message"]!.GetValue<string>(), Does.Contain("within the page's first 10 KB"));
    }

    [Test]
    public async Task StartLoginFlow_PageNeverAnswers_400SayingItDidNotAnswer()
    {
        await using var site = await ClientSite.StartAsync(app =>
            app.MapGet("/", (HttpContext c) => Task.Delay(Timeout.Infinite, c.RequestAborted)));
        await using var hub = await StartHubAsync(pageTimeout: TimeSpan.FromMilliseconds(500));

        var (status, body) = await StartFlowAsync(hub, site.BaseUri, OffHost);

        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body["message"]!.GetValue<string>(), Does.Contain("but it did not answer within 0.5 s"));
    }

    [Test]
    public async Task StartLoginFlow_MoreThanThreeRedirects_400SayingSo()
    {
        await using var site = await ClientSite.StartAsync(app => app.MapGet("/r{n:int}", (HttpContext c, int n) =>
        {
            c.Response.Redirect($"/r{n + 1}");
            return Task.CompletedTask;
        }));
        await using var hub = await StartHubAsync();

        var (status, body) = await StartFlowAsync(hub, new Uri(site.BaseUri, "/r0"), OffHost);

        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body["message"]!.GetValue<string>(), Does.Contain("it redirected more than 3 times"));
        Assert.That(site.Requests, Is.EqualTo(4), "the first request and three redirects, no more");
    }

    [Test]
    public async Task StartLoginFlow_SamePageTwiceWithinAMinute_ReadOnce()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var site = await ClientSite.StartAsync(app =>
            app.MapGet("/", c => ClientSite.Html(c, Page($"<link rel=\"redirect_uri\" href=\"{OffHost}\">"))));
        await using var hub = await StartHubAsync(time);

        await StartFlowAsync(hub, site.BaseUri, OffHost);
        await StartFlowAsync(hub, site.BaseUri, OffHost);
        var withinTheMinute = site.Requests;
        time.Advance(ClientPageLimits.CacheLifetime + TimeSpan.FromSeconds(1));
        await StartFlowAsync(hub, site.BaseUri, OffHost);

        Assert.That(withinTheMinute, Is.EqualTo(1));
        Assert.That(site.Requests, Is.EqualTo(2));
    }

    [Test]
    public async Task StartLoginFlow_SameOriginRedirectUri_PageNotRead()
    {
        await using var site = await ClientSite.StartAsync(app => app.MapGet("/", c => ClientSite.Html(c, Page(""))));
        await using var hub = await StartHubAsync();

        var (status, _) = await StartFlowAsync(hub, site.BaseUri, new Uri(site.BaseUri, "/callback").ToString());

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(site.Requests, Is.Zero);
    }
}
