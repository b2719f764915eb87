using System.Net;
using System.Net.WebSockets;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Server.Tests.Security;
using PiHub.Testing;

namespace PiHub.Server.Tests.Regressions;

/// <summary>
/// Issue 9, item 3: a web page the owner visited could send form POSTs to <c>/auth/token</c> and open WebSockets with
/// bogus tokens through the owner's browser; each failure counted, and after five the owner's own address was banned.
/// Requests whose <c>Origin</c> is another site's are now refused with 403 before anything is counted; requests
/// without <c>Origin</c> (curl, Tasker, apps) and the hub's own pages keep working; an origin the owner allowed
/// in <c>http.cors_allowed_origins</c> works, with CORS headers.
/// </summary>
public class CrossSiteRequestsBanOwnerTests : OnboardedHubTests
{
    private const string OwnerAddress = "127.0.0.2";
    private const string AllowedOrigin = "http://dashboard.example:3000";

    protected override Dictionary<string, string?> Settings() => new() { ["http:cors_allowed_origins:0"] = AllowedOrigin };

    [Test]
    public async Task FormPostsToTokenFromAnotherSite_403AndOwnerNotBanned()
    {
        using var browser = Hub.ClientFrom(OwnerAddress);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++)
        {
            using var request = BogusRefresh(Attacks.ForeignOrigin);
            using var response = await browser.SendAsync(request);
            statuses.Add(response.StatusCode);
        }

        using var refused = await browser.SendAsync(BogusRefresh(Attacks.ForeignOrigin));
        var body = await TestHub.JsonAsync(refused);
        using var providers = await browser.GetAsync("auth/providers");

        Assert.That(statuses, Is.All.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(body["code"]!.GetValue<string>(), Is.EqualTo("cross_origin"));
        Assert.That(body["message"]!.GetValue<string>(), Does.Contain(Attacks.ForeignOrigin).And.Contain("http.cors_allowed_origins"));
        Assert.That(providers.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the owner's address must not be banned");
    }

    [Test]
    public async Task WebSocketsFromAnotherSite_RefusedAtTheHandshakeAndOwnerNotBanned()
    {
        var refusals = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++)
        {
            var socket = new ClientWebSocket();
            socket.Options.SetRequestHeader("Origin", Attacks.ForeignOrigin);
            socket.Options.CollectHttpResponseDetails = true;
            try
            {
                await socket.ConnectAsync(Hub.WebSocketUri, new HttpMessageInvoker(Loopback.Handler(OwnerAddress)), CancellationToken.None);
                refusals.Add(HttpStatusCode.SwitchingProtocols);
            }
            catch (WebSocketException)
            {
                refusals.Add(socket.HttpStatusCode);
            }
            finally
            {
                socket.Dispose();
            }
        }

        var (ws, answer) = await Hub.WebSocketFromAsync(OwnerAddress, Hub.AccessToken);
        await using var _ = ws;

        Assert.That(refusals, Is.All.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(answer["type"]!.GetValue<string>(), Is.EqualTo("auth_ok"), "the owner's address must not be banned");
    }

    [Test]
    public async Task CrossSiteFetchMetadataWithoutOrigin_403()
    {
        using var request = BogusRefresh(origin: null);
        request.Headers.Add("Sec-Fetch-Site", "cross-site");

        using var response = await Hub.ClientFrom(OwnerAddress).SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task NoOriginOrTheHubsOwnOrigin_StillAnswered()
    {
        using var client = Hub.ClientFrom(OwnerAddress);
        using var curl = await client.SendAsync(BogusRefresh(origin: null));
        using var ownPage = await client.SendAsync(BogusRefresh(Hub.Api.BaseUri.GetLeftPart(UriPartial.Authority)));

        // A bogus refresh token is refused on its merits (400 invalid_grant), not for where it came from.
        Assert.That(curl.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(ownPage.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task AllowedOrigin_AnsweredWithCorsHeadersAndPreflight()
    {
        using var client = Hub.ClientFrom(OwnerAddress, token: Hub.AccessToken);
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "api/states/sensor.cors");
        preflight.Headers.Add("Origin", AllowedOrigin);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        using var preflightAnswer = await client.SendAsync(preflight);
        using var post = new HttpRequestMessage(HttpMethod.Post, "api/states/sensor.cors") { Content = TestHub.Json("""{"state":"1"}""") };
        post.Headers.Add("Origin", AllowedOrigin);
        using var posted = await client.SendAsync(post);

        Assert.That(preflightAnswer.Headers.TryGetValues("Access-Control-Allow-Origin", out var allowed) ? allowed.Single() : null, Is.EqualTo(AllowedOrigin));
        Assert.That(posted.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(posted.Headers.TryGetValues("Access-Control-Allow-Origin", out var postAllowed) ? postAllowed.Single() : null, Is.EqualTo(AllowedOrigin));
    }

    [Test]
    public async Task ForeignOriginWithToken_RefusedAndNothingStored()
    {
        using var client = Hub.ClientFrom(OwnerAddress, token: Hub.AccessToken);
        using var post = new HttpRequestMessage(HttpMethod.Post, "api/states/sensor.cross") { Content = TestHub.Json("""{"state":"1"}""") };
        post.Headers.Add("Origin", Attacks.ForeignOrigin);

        using var response = await client.SendAsync(post);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(Hub.Service<PiHub.Core.Hub.HubCore>().States.Get("sensor.cross"), Is.Null);
    }

    private static HttpRequestMessage BogusRefresh(string? origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "auth/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "refresh_token",
                ["refresh_token"] = "bogus-refresh-token",
                ["client_id"] = HubApi.ClientId,
            }),
        };
        if (origin is not null) request.Headers.Add("Origin", origin);
        return request;
    }
}
