using System.Net.WebSockets;
using System.Text.Json.Nodes;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Server.Tests.Security;
using PiHub.Testing;

namespace PiHub.Server.Tests.Regressions;

/// <summary>
/// Issue 24, item 2: after the owner moved an admin to <c>system-users</c>, the admin's already-open socket still listed
/// users and webhook ids, lifted bans and fired events; a deactivated user's token-less trusted-network socket stayed
/// open. A change to a user's access now closes that user's sockets with a reason saying why, and every command is
/// checked against the user as they are now.
/// </summary>
public class DemotedAdminKeepsSocketTests
{
    private TestHub _hub = null!;

    [TearDown]
    public async Task StopAsync()
    {
        if (_hub is not null) await _hub.DisposeAsync();
    }

    [Test]
    public async Task AdminMovedToUsers_OpenSocket_ClosedSayingTheGroupsChangedAndRunsNoAdminCommand()
    {
        _hub = await TestHub.StartAsync();
        await _hub.OnboardAsync();
        var eveId = await _hub.CreateUserAsync("Eve", "eve", admin: true);
        using var laptop = _hub.ClientFrom("127.0.0.30");
        var eveToken = (await Attacks.LogInAsync(laptop, "eve"))["access_token"]!.GetValue<string>();
        var (eve, auth) = await _hub.WebSocketFromAsync("127.0.0.30", eveToken);
        await using var eveSocket = eve;
        Assert.That(auth["type"]!.GetValue<string>(), Is.EqualTo("auth_ok"));
        Assert.That((await eve.CallAsync("config/auth/list"))["success"]!.GetValue<bool>(), Is.True, "an admin lists users");

        var (owner, _) = await WsClient.AuthenticateAsync(_hub.WebSocketUri, _hub.AccessToken);
        await using var ownerSocket = owner;
        var demoted = await owner.CallAsync("config/auth/update", new JsonObject { ["user_id"] = eveId, ["group_ids"] = new JsonArray("system-users") });
        Assert.That(demoted["success"]!.GetValue<bool>(), Is.True, demoted.ToJsonString());

        var stillAdmin = new List<string>();
        foreach (var (type, fields) in AdminCommands())
        {
            try
            {
                var answer = await eve.CallAsync(type, fields);
                if (answer["success"]?.GetValue<bool>() == true) stillAdmin.Add(type);
            }
            catch (Exception ex) when (ex is WebSocketException or WebSocketClosedException or TimeoutException)
            {
                break; // closed: nothing more runs on it
            }
        }

        var status = await eve.WaitForCloseAsync(TimeSpan.FromSeconds(10));

        Assert.That(stillAdmin, Is.Empty, "admin commands answered on the demoted admin's socket");
        Assert.That(status, Is.EqualTo(WebSocketCloseStatus.PolicyViolation));
        Assert.That(eve.CloseReason, Does.Contain("groups changed to system-users").And.Contain("reconnect"));
    }

    [Test]
    public async Task TrustedNetworkUserDeactivated_TokenlessSocket_ClosedSayingSo()
    {
        _hub = await TestHub.StartAsync(HubSettings.TrustedNetwork("127.0.0.31/32", ["kid"], api: true));
        await _hub.OnboardAsync();
        var kidId = await _hub.CreateUserAsync("Kid", "kid");
        var (kid, auth) = await _hub.WebSocketFromAsync("127.0.0.31", token: null);
        await using var kidSocket = kid;
        Assert.That(auth["type"]!.GetValue<string>(), Is.EqualTo("auth_ok"), auth.ToJsonString());

        var (owner, _) = await WsClient.AuthenticateAsync(_hub.WebSocketUri, _hub.AccessToken);
        await using var ownerSocket = owner;
        var disabled = await owner.CallAsync("config/auth/update", new JsonObject { ["user_id"] = kidId, ["is_active"] = false });
        Assert.That(disabled["success"]!.GetValue<bool>(), Is.True, disabled.ToJsonString());

        var status = await kid.WaitForCloseAsync(TimeSpan.FromSeconds(10));

        Assert.That(status, Is.EqualTo(WebSocketCloseStatus.PolicyViolation));
        Assert.That(kid.CloseReason, Does.Contain("User deactivated"));
    }

    private static IEnumerable<(string Type, JsonObject Fields)> AdminCommands() =>
    [
        ("config/auth/list", []),
        ("pihub/webhook/list", []),
        ("pihub/bans/list", []),
        ("pihub/bans/lift", new() { ["address"] = "127.0.0.66" }),
        ("fire_event", new() { ["event_type"] = "door_opened" }),
    ];
}
