using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using PiHub.Core.Hub.Domains;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Testing;

namespace PiHub.Server.Tests.Api;

/// <summary>IP bans through the real server: a second loopback address plays the attacker.</summary>
public class BanTests : OnboardedHubTests
{
    private FakeTimeProvider _time = null!;

    protected override TimeProvider CreateClock() => _time = new FakeTimeProvider(DateTimeOffset.UtcNow);

    /// <summary>An HTTP client whose connections come from <paramref name="source"/>.</summary>
    private HttpClient From(string source) => Hub.ClientFrom(source);

    private static async Task<JsonNode> WrongPasswordAsync(HttpClient client)
    {
        var flow = await HubApi.JsonAsync(await client.PostAsync("auth/login_flow", HubApi.Json("""{"client_id":"http://127.0.0.1/","handler":["homeassistant",null],"redirect_uri":"http://127.0.0.1/"}""")));
        var response = await client.PostAsync($"auth/login_flow/{flow["flow_id"]}", HubApi.Json("""{"client_id":"http://127.0.0.1/","username":"owner","password":"wrong password"}"""));
        return await HubApi.JsonAsync(response);
    }

    private async Task BanAttackerAsync(HttpClient attacker)
    {
        for (var i = 0; i < 5; i++)
        {
            var step = await WrongPasswordAsync(attacker);
            Assert.That(step["errors"]!["base"]!.GetValue<string>(), Is.EqualTo("invalid_auth"));
        }
    }

    [Test]
    public async Task FiveWrongPasswords_AddressBanned_403WithWhenAndHow()
    {
        using var attacker = From("127.0.0.2");
        await BanAttackerAsync(attacker);

        var response = await attacker.GetAsync("auth/providers");
        var body = await HubApi.JsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(body["code"]!.GetValue<string>(), Is.EqualTo("banned"));
        Assert.That(body["message"]!.GetValue<string>(), Does.Contain("127.0.0.2").And.Contain("lift"));
        Assert.That(body["banned_until"], Is.Not.Null);
    }

    [TestCase("/")]
    [TestCase("/auth/authorize?response_type=code&client_id=http%3A%2F%2F127.0.0.1%2F&redirect_uri=http%3A%2F%2F127.0.0.1%2F&state=x")]
    public async Task Banned_DashboardPageStillLoads_ButItsApiCallsAre403(string page)
    {
        // The owner's browser must show the login page, whose login call then says when the ban ends.
        using var attacker = From("127.0.0.2");
        await BanAttackerAsync(attacker);

        using var pageResponse = await attacker.GetAsync(page);
        using var apiResponse = await attacker.PostAsync("auth/login_flow", HubApi.Json("""{"client_id":"http://127.0.0.1/","handler":["homeassistant",null],"redirect_uri":"http://127.0.0.1/"}"""));

        Assert.That(pageResponse.StatusCode, Is.Not.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(apiResponse.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Ban_OtherAddressesUnaffected_AndOwnerNotifiedOnce()
    {
        using var attacker = From("127.0.0.2");
        using var neighbour = From("127.0.0.3");
        await BanAttackerAsync(attacker);

        var neighbourResponse = await neighbour.GetAsync("auth/providers");
        var localResponse = await Hub.Http.GetAsync("auth/providers");
        var hub = Hub.Service<PiHub.Core.Hub.HubCore>();
        // The notification is written after the ban, off the request: wake on the hub's own event.
        await Wait.UntilAsync(() => hub.Notifications.All().Count > 0,
            changed => hub.Bus.Subscribe(NotificationManager.UpdatedEvent, _ => changed()), "the owner's ban notification");
        await WrongPasswordAsync(neighbour);
        var notifications = hub.Notifications.All();

        Assert.That(neighbourResponse.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(localResponse.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(notifications.Count(n => n.Message.Contains("127.0.0.2", StringComparison.Ordinal)), Is.EqualTo(1));
    }

    [Test]
    public async Task Ban_AfterExpiryOnFakeClock_AddressServedAgain()
    {
        using var attacker = From("127.0.0.2");
        await BanAttackerAsync(attacker);

        _time.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));
        var response = await attacker.GetAsync("auth/providers");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Ban_LiftedOverWebSocket_WithoutRestart()
    {
        using var attacker = From("127.0.0.2");
        await BanAttackerAsync(attacker);
        var (ws, _) = await WsClient.AuthenticateAsync(Hub.WebSocketUri, Hub.AccessToken);
        await using var _ = ws;

        var list = await ws.CallAsync("pihub/bans/list");
        var lift = await ws.CallAsync("pihub/bans/lift", new JsonObject { ["address"] = "127.0.0.2" });
        var response = await attacker.GetAsync("auth/providers");

        Assert.That(list["result"]!.AsArray().Single()!["address"]!.GetValue<string>(), Is.EqualTo("127.0.0.2"));
        Assert.That(lift["success"]!.GetValue<bool>(), Is.True);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task WrongPasswordsFromAllowlistedLoopback_NeverBanned()
    {
        for (var i = 0; i < 8; i++) await WrongPasswordAsync(Hub.Http);

        var response = await Hub.Http.GetAsync("auth/providers");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task BadBearerTokens_CountTowardsBan()
    {
        using var attacker = From("127.0.0.2");
        attacker.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "forged.token.value");
        for (var i = 0; i < 5; i++) Assert.That((await attacker.GetAsync("api/states")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));

        var response = await attacker.GetAsync("api/states");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }
}
