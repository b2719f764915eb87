using System.Net;
using System.Text;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Server.Tests.Security;
using PiHub.Testing;

namespace PiHub.Server.Tests.Regressions;

/// <summary>
/// Issue 9, item 11: a fresh hub could be claimed by a page on another site (<c>POST /api/onboarding/users</c> with
/// <c>Content-Type: text/plain</c> and a foreign <c>Origin</c> succeeded), or through DNS rebinding (the page's own
/// name pointed at the hub, so its requests looked same-origin). Onboarding now takes JSON only, foreign origins are
/// refused, and logins and changes under a public host name the hub does not answer to are refused.
/// </summary>
public class CrossSiteOnboardingTests
{
    private static readonly string OwnerJson =
        $$"""{"client_id":"{{HubApi.ClientId}}","name":"Mallory","username":"mallory","password":"a long mallory password","language":"en"}""";

    [Test]
    public async Task TextPlainFromAnotherSite_RefusedAndHubStillFresh()
    {
        await using var hub = await TestHub.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/onboarding/users") { Content = new StringContent(OwnerJson, Encoding.UTF8, "text/plain") };
        request.Headers.Add("Origin", Attacks.ForeignOrigin);

        using var response = await hub.Http.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await PasswordFlowIsOpenAsync(hub), Is.True);
    }

    [Test]
    public async Task TextPlainWithoutOrigin_415AskingForJson()
    {
        await using var hub = await TestHub.StartAsync();

        using var response = await hub.Http.PostAsync("api/onboarding/users", new StringContent(OwnerJson, Encoding.UTF8, "text/plain"));
        var body = await TestHub.JsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
        Assert.That(body["message"]!.GetValue<string>(), Does.Contain("Content-Type: application/json"));
        Assert.That(await PasswordFlowIsOpenAsync(hub), Is.True);
    }

    [Test]
    public async Task DnsRebindingPage_403HostNotAllowedAndHubStillFresh()
    {
        await using var hub = await TestHub.StartAsync();
        var rebound = $"rebind.evil.example:{hub.Api.BaseUri.Port}";
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/onboarding/users") { Content = TestHub.Json(OwnerJson) };
        request.Headers.Host = rebound;
        request.Headers.Add("Origin", $"http://{rebound}");

        using var response = await hub.Http.SendAsync(request);
        var body = await TestHub.JsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(body["code"]!.GetValue<string>(), Is.EqualTo("host_not_allowed"));
        Assert.That(body["message"]!.GetValue<string>(), Does.Contain("http.allowed_hosts"));
        Assert.That(await PasswordFlowIsOpenAsync(hub), Is.True);
    }

    [TestCase("pihub.local")]
    [TestCase("pihub")]
    [TestCase("hub.example.com")]
    public async Task PrivateOrConfiguredName_OnboardingWorks(string name)
    {
        await using var hub = await TestHub.StartAsync(new Dictionary<string, string?> { ["http:allowed_hosts:0"] = "*.example.com" });
        var host = $"{name}:{hub.Api.BaseUri.Port}";
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/onboarding/users") { Content = TestHub.Json(OwnerJson) };
        request.Headers.Host = host;
        request.Headers.Add("Origin", $"http://{host}");

        using var response = await hub.Http.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    private static async Task<bool> PasswordFlowIsOpenAsync(TestHub hub)
    {
        var steps = await TestHub.JsonAsync(await hub.Http.GetAsync("api/onboarding"));
        return !steps.AsArray().Single(s => s!["step"]!.GetValue<string>() == "user")!["done"]!.GetValue<bool>();
    }
}
