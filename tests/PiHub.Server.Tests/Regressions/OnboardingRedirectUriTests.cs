using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using PiHub.Server.Tests.Infrastructure;

namespace PiHub.Server.Tests.Regressions;

/// <summary>
/// Issue 13 follow-up: an app's onboarding link (<c>/onboarding.html?client_id=…&amp;redirect_uri=…</c>) made the
/// onboarding page send the new owner's auth code to that <c>redirect_uri</c>, which nothing on the hub had checked; a
/// link naming any site got the owner's first login. The page now sends <c>redirect_uri</c> with the owner, and
/// <c>POST /api/onboarding/users</c> checks it exactly as <c>/auth/authorize</c> (the login flow) does, creating no owner
/// when it is refused.
/// </summary>
public class OnboardingRedirectUriTests
{
    private const string Stolen = "https://evil.example/steal";

    private static Task<ClientSite> StartClientAsync(string head = "") =>
        ClientSite.StartAsync(app => app.MapGet("/", c => ClientSite.Html(c,
            $"<!doctype html><html><head><title>Client</title>{head}</head><body>An app</body></html>")));

    /// <summary>A hub that reads the client's page on loopback (<see cref="ClientSite.ReadPagesOnLoopback"/>).</summary>
    private static Task<TestHub> StartHubReadingLoopbackAsync() => TestHub.StartAsync(services: s => ClientSite.ReadPagesOnLoopback(s));

    private static async Task<(HttpStatusCode Status, JsonNode Body)> PostAsync(TestHub hub, string path, JsonObject body)
    {
        using var response = await hub.Http.PostAsync(path, TestHub.Json(body.ToJsonString()));
        return (response.StatusCode, await TestHub.JsonAsync(response));
    }

    private static JsonObject Owner(string clientId, string redirectUri) => new()
    {
        ["client_id"] = clientId,
        ["redirect_uri"] = redirectUri,
        ["name"] = "Alice",
        ["username"] = "alice",
        ["password"] = "a long alice password",
        ["language"] = "en",
    };

    private static async Task<bool> UserStepDoneAsync(TestHub hub)
    {
        var steps = await TestHub.JsonAsync(await hub.Http.GetAsync("api/onboarding"));
        return steps.AsArray().Single(s => s!["step"]!.GetValue<string>() == "user")!["done"]!.GetValue<bool>();
    }

    [Test]
    public async Task CreateOwner_RedirectUriTheClientDoesNotDeclare_400AndNoOwner()
    {
        await using var client = await StartClientAsync();
        await using var hub = await StartHubReadingLoopbackAsync();

        var (status, body) = await PostAsync(hub, "api/onboarding/users", Owner(client.BaseUri.ToString(), Stolen));

        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest), body.ToJsonString());
        Assert.That(body["code"]!.GetValue<string>(), Is.EqualTo("invalid_request"));
        Assert.That(body["message"]!.GetValue<string>(), Does.Contain($"the page at {client.BaseUri} does not declare it")
            .And.Contain($"must add <link rel=\"redirect_uri\" href=\"{Stolen}\">"));
        Assert.That(body["auth_code"], Is.Null);
        Assert.That(await UserStepDoneAsync(hub), Is.False);
    }

    [Test]
    public async Task CreateOwner_RefusedRedirectUri_SameMessageAsTheLoginFlow()
    {
        await using var client = await StartClientAsync();
        await using var hub = await StartHubReadingLoopbackAsync();
        var (_, onboarding) = await PostAsync(hub, "api/onboarding/users", Owner(client.BaseUri.ToString(), Stolen));
        (await hub.OnboardAsync()).Dispose();

        var (status, login) = await PostAsync(hub, "auth/login_flow", new JsonObject
        {
            ["client_id"] = client.BaseUri.ToString(),
            ["handler"] = new JsonArray("homeassistant", null),
            ["redirect_uri"] = Stolen,
        });

        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(onboarding["message"]?.GetValue<string>(), Is.EqualTo(login["message"]!.GetValue<string>()));
    }

    [Test]
    public async Task CreateOwner_RedirectUriTheClientDeclares_OwnerCreatedWithACode()
    {
        await using var client = await StartClientAsync($"<link rel=\"redirect_uri\" href=\"{Stolen}\">");
        await using var hub = await StartHubReadingLoopbackAsync();

        var (status, body) = await PostAsync(hub, "api/onboarding/users", Owner(client.BaseUri.ToString(), Stolen));

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToJsonString());
        Assert.That(body["auth_code"]!.GetValue<string>(), Is.Not.Empty);
        Assert.That(await UserStepDoneAsync(hub), Is.True);
    }

    [Test]
    public async Task CreateOwner_InvalidClientIdWithRedirectUri_400InvalidClientId()
    {
        await using var hub = await TestHub.StartAsync();

        var (status, body) = await PostAsync(hub, "api/onboarding/users", Owner("http://8.8.8.8/", "http://8.8.8.8/cb"));

        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest), body.ToJsonString());
        Assert.That(body["message"]!.GetValue<string>(), Does.StartWith("Invalid client_id"));
        Assert.That(await UserStepDoneAsync(hub), Is.False);
    }
}
