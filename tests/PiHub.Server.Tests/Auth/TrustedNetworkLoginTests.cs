using System.Net;
using System.Text.Json.Nodes;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Testing;

namespace PiHub.Server.Tests.Auth;

/// <summary>The trusted_networks provider through the real server: who is offered, bypass, refresh re-check.</summary>
public class TrustedNetworkLoginTests
{
    private TestHub _hub = null!;

    private async Task StartAsync(Dictionary<string, string?> settings)
    {
        _hub = await TestHub.StartOnboardedAsync(settings);
    }

    [TearDown]
    public async Task StopAsync()
    {
        if (_hub is not null) await _hub.DisposeAsync();
        _hub = null!; // a test that fails before starting its hub must not stop the previous one again
    }

    [Test]
    public async Task Providers_OutsideEveryNetwork_TrustedNetworksNotListed()
    {
        await StartAsync(HubSettings.TrustedNetwork("127.0.0.2/32", ["all"]));
        using var outsider = _hub.ClientFrom("127.0.0.3");

        var fromOutsider = await TestHub.JsonAsync(await outsider.GetAsync("auth/providers"));
        var fromLocalhost = await TestHub.JsonAsync(await _hub.Http.GetAsync("auth/providers"));

        Assert.That(fromOutsider["providers"]!.AsArray().Select(p => p!["type"]!.GetValue<string>()), Is.EqualTo(new[] { "homeassistant" }));
        Assert.That(fromLocalhost["providers"]!.AsArray().Select(p => p!["type"]!.GetValue<string>()), Is.EqualTo(new[] { "homeassistant" }));
    }

    [Test]
    public async Task Providers_NoNetworksConfigured_OnlyHomeAssistant()
    {
        await StartAsync([]);
        using var client = _hub.ClientFrom("127.0.0.2");

        var body = await TestHub.JsonAsync(await client.GetAsync("auth/providers"));

        Assert.That(body["providers"]!.AsArray().Select(p => p!["type"]!.GetValue<string>()), Is.EqualTo(new[] { "homeassistant" }));
    }

    [Test]
    public async Task Form_UsersAll_OffersActiveUsersOnly()
    {
        await StartAsync(HubSettings.TrustedNetwork("127.0.0.0/29", ["all"]));
        var kid = await _hub.CreateUserAsync("Kid", "kid");
        var gone = await _hub.CreateUserAsync("Gone", "gone");
        var (ws, _) = await WsClient.AuthenticateAsync(_hub.WebSocketUri, _hub.AccessToken);
        await using (ws)
        {
            await ws.CallAsync("config/auth/update", new JsonObject { ["user_id"] = gone, ["is_active"] = false });
        }

        using var client = _hub.ClientFrom("127.0.0.2");

        var (_, form) = await TrustedNetworkFlow.StartAsync(client);

        Assert.That(TrustedNetworkFlow.Options(form).Select(o => o.Name), Is.EqualTo(new[] { "Kid", "Owner" }));
        Assert.That(TrustedNetworkFlow.Options(form).Select(o => o.Id), Does.Contain(kid).And.Not.Contain(gone));
    }

    [Test]
    public async Task Form_UsersList_OffersExactlyTheNamedUsers_OtherChoiceRefused()
    {
        await StartAsync(HubSettings.TrustedNetwork("127.0.0.2/32", ["KID"]));
        var kid = await _hub.CreateUserAsync("Kid", "kid");
        var owner = await TrustedNetworkFlow.OwnerIdAsync(_hub);
        using var client = _hub.ClientFrom("127.0.0.2");

        var (_, form) = await TrustedNetworkFlow.StartAsync(client);
        var wrong = await TrustedNetworkFlow.ChooseAsync(client, form, owner);
        var right = await TrustedNetworkFlow.ChooseAsync(client, form, kid);

        Assert.That(TrustedNetworkFlow.Options(form), Is.EqualTo(new[] { (kid, "Kid") }));
        Assert.That(wrong["type"]!.GetValue<string>(), Is.EqualTo("form"));
        Assert.That(wrong["errors"]!["base"]!.GetValue<string>(), Is.EqualTo("invalid_auth"));
        Assert.That(right["type"]!.GetValue<string>(), Is.EqualTo("create_entry"));
    }

    [Test]
    public async Task Start_BypassWithOneUser_CompletesAtOnce()
    {
        await StartAsync(HubSettings.TrustedNetwork("127.0.0.2/32", ["owner"], bypass: true));
        using var client = _hub.ClientFrom("127.0.0.2");

        var (_, entry) = await TrustedNetworkFlow.StartAsync(client);
        var tokens = await TrustedNetworkFlow.ExchangeAsync(client, entry["result"]!.GetValue<string>());

        Assert.That(entry["type"]!.GetValue<string>(), Is.EqualTo("create_entry"));
        Assert.That(tokens["access_token"], Is.Not.Null);
    }

    [Test]
    public async Task Start_BypassWithTwoUsers_ShowsTheForm()
    {
        await StartAsync(HubSettings.TrustedNetwork("127.0.0.2/32", ["owner", "kid"], bypass: true));
        await _hub.CreateUserAsync("Kid", "kid");
        using var client = _hub.ClientFrom("127.0.0.2");

        var (_, form) = await TrustedNetworkFlow.StartAsync(client);

        Assert.That(form["type"]!.GetValue<string>(), Is.EqualTo("form"));
        Assert.That(TrustedNetworkFlow.Options(form), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Refresh_FromOutsideTheNetwork_Refused_FromInsideWorks()
    {
        await StartAsync(HubSettings.TrustedNetwork("127.0.0.2/32", ["owner"], bypass: true));
        using var inside = _hub.ClientFrom("127.0.0.2");
        using var outside = _hub.ClientFrom("127.0.0.3");
        var (_, entry) = await TrustedNetworkFlow.StartAsync(inside);
        var tokens = await TrustedNetworkFlow.ExchangeAsync(inside, entry["result"]!.GetValue<string>());
        var refresh = tokens["refresh_token"]!.GetValue<string>();

        var fromInside = await TrustedNetworkFlow.RefreshAsync(inside, refresh);
        var fromOutside = await TrustedNetworkFlow.RefreshAsync(outside, refresh);
        var refusal = await TestHub.JsonAsync(fromOutside);

        Assert.That(fromInside.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(fromOutside.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(refusal["error"]!.GetValue<string>(), Is.EqualTo("access_denied"));
        Assert.That(refusal["error_description"]!.GetValue<string>(), Is.Not.Empty);
    }

    [Test]
    public async Task ExchangeCode_FromOutsideTheNetwork_Refused403()
    {
        await StartAsync(HubSettings.TrustedNetwork("127.0.0.2/32", ["owner"], bypass: true));
        using var inside = _hub.ClientFrom("127.0.0.2");
        using var outside = _hub.ClientFrom("127.0.0.3");
        var (_, entry) = await TrustedNetworkFlow.StartAsync(inside);

        var response = await outside.PostAsync("auth/token", HubApi.Form(("grant_type", "authorization_code"), ("code", entry["result"]!.GetValue<string>()), ("client_id", HubApi.ClientId)));
        var body = await TestHub.JsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(body["error_description"]!.GetValue<string>(), Does.Contain("trusted network"));
    }

    [Test]
    public async Task Refresh_SpoofedForwardedForFromUntrustedPeer_Refused400()
    {
        await StartAsync(HubSettings.TrustedNetwork("127.0.0.2/32", ["owner"], bypass: true));
        using var inside = _hub.ClientFrom("127.0.0.2");
        using var spoofer = _hub.ClientFrom("127.0.0.3", forwardedFor: "127.0.0.2");
        var (_, entry) = await TrustedNetworkFlow.StartAsync(inside);
        var tokens = await TrustedNetworkFlow.ExchangeAsync(inside, entry["result"]!.GetValue<string>());

        var response = await TrustedNetworkFlow.RefreshAsync(spoofer, tokens["refresh_token"]!.GetValue<string>());
        var body = await TestHub.JsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body["message"]!.GetValue<string>(), Does.Contain("http.trusted_proxies"));
    }
}
