using System.Net;
using PiHub.Server.Tests.Infrastructure;

namespace PiHub.Server.Tests.Auth.Regressions;

/// <summary>
/// Home Assistant 0.77: "the api seems to work without any authentication anyway" — trusted networks let anyone
/// on them use the REST API anonymously, whatever auth_providers said. PiHub: a request without a token is
/// refused unless its network opted in with allow_api_without_token, and then it acts as that network's one
/// named user (never anonymous, never admin unless that user is). A spoofed X-Forwarded-For gets nobody in.
/// </summary>
public class ApiOpenWithoutAuthTests
{
    private TestHub _hub = null!;
    private string _kidId = null!;

    private async Task StartAsync(Dictionary<string, string?> settings)
    {
        settings["http:trusted_proxies:0"] = "127.0.0.3/32";
        _hub = await TestHub.StartOnboardedAsync(settings);
        _kidId = await _hub.CreateUserAsync("Kid", "kid");
    }

    [TearDown]
    public async Task StopAsync()
    {
        if (_hub is not null) await _hub.DisposeAsync();
        _hub = null!; // a test that fails before starting its hub must not stop the previous one again
    }

    [Test]
    public async Task ApiOpenWithoutAuth_NoTrustedNetworks_Refused401()
    {
        await StartAsync([]);
        using var client = _hub.ClientFrom("127.0.0.2");

        var response = await client.GetAsync("api/states");
        var body = await TestHub.JsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(body["message"]!.GetValue<string>(), Does.StartWith("No access token"));
    }

    [Test]
    public async Task ApiOpenWithoutAuth_TrustedNetworkWithoutOptIn_Refused401()
    {
        await StartAsync(HubSettings.TrustedNetwork("127.0.0.2/32", ["kid"], bypass: true));
        using var client = _hub.ClientFrom("127.0.0.2");

        var response = await client.GetAsync("api/states");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task ApiOpenWithoutAuth_OptedInNetwork_ActsAsTheNamedUserNotAdmin()
    {
        await StartAsync(HubSettings.TrustedNetwork("127.0.0.2/32", ["kid"], api: true));
        using var client = _hub.ClientFrom("127.0.0.2");

        var states = await client.GetAsync("api/states");
        var toggle = await client.PostAsync("api/services/input_boolean/toggle", TestHub.Json("""{"entity_id":"input_boolean.porch"}"""));
        var changed = await TestHub.JsonAsync(toggle);
        var fire = await client.PostAsync("api/events/not_for_kids", TestHub.Json("{}"));
        var refusal = await TestHub.JsonAsync(fire);

        Assert.That(states.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(toggle.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(changed.AsArray().Single()!["context"]!["user_id"]!.GetValue<string>(), Is.EqualTo(_kidId), "attributed to the named user");
        Assert.That(fire.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(refusal["message"]!.GetValue<string>(), Does.Contain("Kid"));
    }

    [Test]
    public async Task ApiOpenWithoutAuth_OptedInNetwork_OtherAddressRefused401()
    {
        await StartAsync(HubSettings.TrustedNetwork("127.0.0.2/32", ["kid"], api: true));
        using var outsider = _hub.ClientFrom("127.0.0.4");

        var response = await outsider.GetAsync("api/states");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task ApiOpenWithoutAuth_OptedInNetwork_BadTokenNeverFallsBack()
    {
        await StartAsync(HubSettings.TrustedNetwork("127.0.0.2/32", ["kid"], api: true));
        using var client = _hub.ClientFrom("127.0.0.2", token: "not.a.token");

        var response = await client.GetAsync("api/states");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task ApiOpenWithoutAuth_ThroughTrustedProxy_ClientInNetwork_Served()
    {
        await StartAsync(HubSettings.TrustedNetwork("127.0.0.2/32", ["kid"], api: true));
        using var proxyForMember = _hub.ClientFrom("127.0.0.3", forwardedFor: "127.0.0.2");
        using var proxyForOutsider = _hub.ClientFrom("127.0.0.3", forwardedFor: "127.0.0.4");

        var member = await proxyForMember.GetAsync("api/states");
        var outsider = await proxyForOutsider.GetAsync("api/states");

        Assert.That(member.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(outsider.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task ApiOpenWithoutAuth_SpoofedForwardedForFromUntrustedPeer_Refused400()
    {
        await StartAsync(HubSettings.TrustedNetwork("127.0.0.2/32", ["kid"], api: true));
        using var spoofer = _hub.ClientFrom("127.0.0.4", forwardedFor: "127.0.0.2");

        var response = await spoofer.GetAsync("api/states");
        var body = await TestHub.JsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body["message"]!.GetValue<string>(), Does.Contain("http.trusted_proxies"));
    }

    [Test]
    public async Task ApiOpenWithoutAuth_NamedUserDeactivated_RefusedWithReason()
    {
        await StartAsync(HubSettings.TrustedNetwork("127.0.0.2/32", ["kid"], api: true));
        var (ws, _) = await PiHub.Testing.WsClient.AuthenticateAsync(_hub.WebSocketUri, _hub.AccessToken);
        await using (ws)
        {
            await ws.CallAsync("config/auth/update", new System.Text.Json.Nodes.JsonObject { ["user_id"] = _kidId, ["is_active"] = false });
        }

        using var client = _hub.ClientFrom("127.0.0.2");

        var response = await client.GetAsync("api/states");
        var body = await TestHub.JsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(body["message"]!.GetValue<string>(), Does.Contain("\"kid\"").And.Contain("auth.trusted_networks"));
    }
}
