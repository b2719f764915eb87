using PiHub.Server.Tests.Infrastructure;

namespace PiHub.Server.Tests.Auth.Regressions;

/// <summary>
/// Home Assistant 0.77: "It's no longer possible to use a trusted network to connect to the websocket API" —
/// people on a VPN-only LAN with a Node.js Plex script were left behind. PiHub: a network that opts in with
/// allow_api_without_token may send <c>{"type":"auth"}</c> without a token and is served as its named user,
/// with exactly the REST rules; everyone else still needs a token.
/// </summary>
public class WebsocketRefusingTrustedNetworkTests : OnboardedHubTests
{
    protected override Dictionary<string, string?> Settings()
    {
        var settings = HubSettings.TrustedNetwork("127.0.0.2/32", ["kid"], api: true);
        settings["http:trusted_proxies:0"] = "127.0.0.3/32";
        return settings;
    }

    protected override Task OnHubStartedAsync() => Hub.CreateUserAsync("Kid", "kid");

    [Test]
    public async Task WebsocketRefusingTrustedNetwork_OptedInNetworkWithoutToken_AuthOkAsNamedUser()
    {
        var (ws, answer) = await Hub.WebSocketFromAsync("127.0.0.2", token: null);
        await using var _ = ws;

        var me = await ws.CallAsync("auth/current_user");
        var fire = await ws.CallAsync("fire_event", new System.Text.Json.Nodes.JsonObject { ["event_type"] = "x" });

        Assert.That(answer["type"]!.GetValue<string>(), Is.EqualTo("auth_ok"));
        Assert.That(me["result"]!["name"]!.GetValue<string>(), Is.EqualTo("Kid"));
        Assert.That(me["result"]!["is_admin"]!.GetValue<bool>(), Is.False);
        Assert.That(me["result"]!["auth_method"]!.GetValue<string>(), Is.EqualTo("trusted_network"));
        Assert.That(fire["error"]!["code"]!.GetValue<string>(), Is.EqualTo("unauthorized"), "same rules as REST: not an admin");
    }

    [Test]
    public async Task WebsocketRefusingTrustedNetwork_OtherAddressWithoutToken_AuthInvalid()
    {
        var (ws, answer) = await Hub.WebSocketFromAsync("127.0.0.4", token: null);
        await using var _ = ws;

        Assert.That(answer["type"]!.GetValue<string>(), Is.EqualTo("auth_invalid"));
        Assert.That(answer["message"]!.GetValue<string>(), Does.StartWith("No access token"));
    }

    [Test]
    public async Task WebsocketRefusingTrustedNetwork_ThroughTrustedProxy_AuthOk()
    {
        var (ws, answer) = await Hub.WebSocketFromAsync("127.0.0.3", token: null, forwardedFor: "127.0.0.2");
        await using var _ = ws;

        Assert.That(answer["type"]!.GetValue<string>(), Is.EqualTo("auth_ok"));
    }

    [Test]
    public void WebsocketRefusingTrustedNetwork_SpoofedForwardedForFromUntrustedPeer_UpgradeRefused()
    {
        var refused = Assert.ThrowsAsync<System.Net.WebSockets.WebSocketException>(() =>
            Hub.WebSocketFromAsync("127.0.0.4", token: null, forwardedFor: "127.0.0.2"));

        Assert.That(refused!.Message, Does.Contain("400"));
    }
}
