using System.Net;
using System.Text.Json.Nodes;
using PiHub.Server.Tests.Auth;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Testing;

namespace PiHub.Server.Tests.Regressions;

/// <summary>
/// Issue 9, item 5: from an <c>allow_api_without_token</c> network, <c>{"type":"auth"}</c> without a token then
/// <c>auth/long_lived_access_token</c> returned a 10-year token that worked from anywhere. A connection that proved
/// nothing but its address may use the hub, not create, list or delete credentials; and an access token from a
/// trusted-network login works only inside that network, like its refresh token.
/// </summary>
public class TrustedNetworkMintsCredentialsTests
{
    private TestHub _hub = null!;

    [TearDown]
    public async Task StopAsync()
    {
        if (_hub is not null) await _hub.DisposeAsync();
    }

    [Test]
    public async Task TokenlessConnection_EveryCredentialCommand_RefusedSayingLogInWithAPassword()
    {
        _hub = await TestHub.StartAsync(HubSettings.TrustedNetwork("127.0.0.2/32", ["kid"], api: true));
        await _hub.OnboardAsync();
        await _hub.CreateUserAsync("Kid", "kid", admin: true); // the worst case: the network's user is an admin
        var owner = await TrustedNetworkFlow.OwnerIdAsync(_hub);
        var (ws, auth) = await _hub.WebSocketFromAsync("127.0.0.2", token: null);
        await using var _ = ws;
        Assert.That(auth["type"]!.GetValue<string>(), Is.EqualTo("auth_ok"), auth.ToJsonString());

        var commands = new (string Type, JsonObject Fields)[]
        {
            ("auth/long_lived_access_token", new() { ["client_name"] = "forever", ["lifespan"] = 3650 }),
            ("auth/refresh_tokens", []),
            ("auth/delete_refresh_token", new() { ["refresh_token_id"] = "x" }),
            ("auth/delete_all_refresh_tokens", []),
            ("auth/setup_mfa", new() { ["mfa_module_id"] = "totp" }),
            ("auth/depose_mfa", new() { ["mfa_module_id"] = "totp", ["password"] = "a guess", ["code"] = "123456" }),
            ("pihub/mfa/recovery_codes", new() { ["password"] = "a guess", ["code"] = "123456" }),
            ("pihub/mfa/reset", new() { ["user_id"] = owner }),
            ("config/auth/list", []),
            ("config/auth/create", new() { ["name"] = "Mallory", ["group_ids"] = new JsonArray("system-admin") }),
            ("config/auth/update", new() { ["user_id"] = owner, ["is_active"] = false }),
            ("config/auth/delete", new() { ["user_id"] = owner }),
            ("config/auth_provider/homeassistant/create", new() { ["user_id"] = owner, ["username"] = "x", ["password"] = "a password" }),
            ("config/auth_provider/homeassistant/change_password", new() { ["current_password"] = "a guess", ["new_password"] = "a new password" }),
            ("config/auth_provider/homeassistant/admin_change_password", new() { ["user_id"] = owner, ["password"] = "taken over!" }),
            ("pihub/owner/transfer", new() { ["user_id"] = owner }),
            ("pihub/webhook/create", new() { ["name"] = "door" }),
            ("pihub/webhook/list", []),
            ("pihub/webhook/delete", new() { ["webhook_id"] = "x" }),
        };
        var notRefused = new List<string>();
        foreach (var (type, fields) in commands)
        {
            var answer = await ws.CallAsync(type, fields);
            var refused = answer["success"]?.GetValue<bool>() == false
                && answer["error"]!["code"]!.GetValue<string>() == "unauthorized"
                && answer["error"]!["message"]!.GetValue<string>().Contains("password", StringComparison.Ordinal);
            if (!refused) notRefused.Add($"{type}: {answer.ToJsonString()}");
        }

        var states = await ws.CallAsync("get_states");

        Assert.That(notRefused, Is.Empty);
        Assert.That(states["success"]!.GetValue<bool>(), Is.True, "the hub itself stays usable without a token");
    }

    [Test]
    public async Task TrustedNetworkLogin_AccessTokenUsedOutsideTheNetwork_Refused()
    {
        _hub = await TestHub.StartAsync(HubSettings.TrustedNetwork("127.0.0.2/32", ["owner"], bypass: true));
        await _hub.OnboardAsync();
        using var inside = _hub.ClientFrom("127.0.0.2");
        var (_, entry) = await TrustedNetworkFlow.StartAsync(inside);
        var tokens = await TrustedNetworkFlow.ExchangeAsync(inside, entry["result"]!.GetValue<string>());
        var access = tokens["access_token"]!.GetValue<string>();
        using var fromInside = _hub.ClientFrom("127.0.0.2", token: access);
        using var fromOutside = _hub.ClientFrom("127.0.0.3", token: access);

        var insideAnswer = await fromInside.GetAsync("api/states");
        var outsideAnswer = await fromOutside.GetAsync("api/states");
        var outsideBody = await TestHub.JsonAsync(outsideAnswer);
        var (ws, wsAnswer) = await _hub.WebSocketFromAsync("127.0.0.3", access);
        await ws.DisposeAsync();

        Assert.That(insideAnswer.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(outsideAnswer.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(outsideBody["message"]!.GetValue<string>(), Does.Contain("127.0.0.2/32").And.Contain("password"));
        Assert.That(wsAnswer["type"]!.GetValue<string>(), Is.EqualTo("auth_invalid"));
    }
}
