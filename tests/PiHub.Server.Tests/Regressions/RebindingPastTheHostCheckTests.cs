using System.Net;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Server.Tests.Security;
using PiHub.Testing;

namespace PiHub.Server.Tests.Regressions;

/// <summary>
/// Issue 24, item 3: the DNS-rebinding defence (refusing a host name the hub does not answer to) was skipped whenever
/// the request carried any <c>Authorization</c> header, and never applied to GETs. A rebinding page is same-origin with
/// the hub, so it added <c>Authorization: x</c> and logged in under its own name (<c>create_entry</c>), and with
/// <c>allow_api_without_token</c> it read <c>/api/states</c> with no header at all. Now the Host is checked on every
/// request that a valid bearer token does not authenticate; the hub's own names keep working.
/// </summary>
public class RebindingPastTheHostCheckTests
{
    private const string Rebound = "rebind.evil.example";

    [Test]
    public async Task LoginUnderAForeignHostWithANonBearerAuthorization_Refused()
    {
        await using var hub = await TestHub.StartOnboardedAsync();
        using var page = hub.ClientFrom("127.0.0.2");

        using var start = await page.SendAsync(RebindingPage(hub, HttpMethod.Post, "auth/login_flow", "x", HubApi.Json(Attacks.FlowStartBody)));
        using var basic = await page.SendAsync(RebindingPage(hub, HttpMethod.Post, "auth/login_flow", "Basic b3duZXI6cGFzcw==", HubApi.Json(Attacks.FlowStartBody)));
        using var badBearer = await page.SendAsync(RebindingPage(hub, HttpMethod.Post, "auth/login_flow", "Bearer not-a-token", HubApi.Json(Attacks.FlowStartBody)));

        foreach (var response in new[] { start, basic, badBearer })
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), response.RequestMessage!.Headers.Authorization?.ToString());
            Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("host_not_allowed").And.Contain("http.allowed_hosts"));
        }
    }

    [Test]
    public async Task TokenlessApiReadUnderAForeignHost_Refused()
    {
        await using var hub = await TestHub.StartAsync(HubSettings.TrustedNetwork("127.0.0.2/32", ["owner"], api: true));
        (await hub.OnboardAsync()).Dispose();
        using var page = hub.ClientFrom("127.0.0.2");

        using var rebound = await page.SendAsync(RebindingPage(hub, HttpMethod.Get, "api/states", null));
        using var reboundWithHeader = await page.SendAsync(RebindingPage(hub, HttpMethod.Get, "api/", "x"));
        using var atItsAddress = await page.GetAsync("api/states");

        Assert.That(rebound.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), await rebound.Content.ReadAsStringAsync());
        Assert.That(reboundWithHeader.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(atItsAddress.StatusCode, Is.EqualTo(HttpStatusCode.OK), "token-less reads under the hub's own address still work");
    }

    [Test]
    public async Task HubsOwnNamesAndValidTokens_StillServed()
    {
        await using var hub = await TestHub.StartOnboardedAsync();
        using var browser = hub.ClientFrom("127.0.0.2");

        var pages = new List<HttpStatusCode>();
        var ownNames = new List<HttpStatusCode>();
        foreach (var name in new[] { "pihub.local", "pihub", "localhost", "127.0.0.1", "[::1]", "pihub.home.arpa" })
        {
            // The dashboard page (404 when the test build has no dashboard; never refused) and its login calls.
            using var page = await browser.SendAsync(Under(hub, name, HttpMethod.Get, "", null));
            using var providers = await browser.SendAsync(Under(hub, name, HttpMethod.Get, "auth/providers", null));
            using var flow = await browser.SendAsync(Under(hub, name, HttpMethod.Post, "auth/login_flow", null, HubApi.Json(Attacks.FlowStartBody)));
            pages.Add(page.StatusCode);
            ownNames.AddRange([providers.StatusCode, flow.StatusCode]);
        }

        using var withToken = await browser.SendAsync(RebindingPage(hub, HttpMethod.Get, "api/states", $"Bearer {hub.AccessToken}"));

        Assert.That(pages, Has.None.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(ownNames, Is.All.EqualTo(HttpStatusCode.OK));
        Assert.That(withToken.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a valid bearer token is no rebinding page's: any Host will do");
    }

    private static HttpRequestMessage RebindingPage(TestHub hub, HttpMethod method, string path, string? authorization, HttpContent? content = null)
    {
        var request = Under(hub, Rebound, method, path, authorization, content);
        // The rebinding page is same-origin with the hub under the attacker's name.
        if (method != HttpMethod.Get) request.Headers.Add("Origin", $"http://{request.Headers.Host}");
        return request;
    }

    private static HttpRequestMessage Under(TestHub hub, string name, HttpMethod method, string path, string? authorization, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Host = $"{name}:{hub.Api.BaseUri.Port}";
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return request;
    }
}
