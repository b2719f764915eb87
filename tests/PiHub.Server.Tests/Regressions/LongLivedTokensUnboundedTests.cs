using System.Text.Json.Nodes;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Testing;

namespace PiHub.Server.Tests.Regressions;

/// <summary>
/// Issue 24, item 8: a non-admin user created 500 long-lived tokens in 1.1 s over the WebSocket API. The 101st is
/// now refused with <c>too_many_tokens</c>, saying where old ones are deleted; deleting one makes room again.
/// </summary>
public class LongLivedTokensUnboundedTests : OnboardedHubTests
{
    [Test]
    public async Task LongLivedToken_101stOfOneUser_RefusedUntilOneIsDeleted()
    {
        await Hub.CreateUserAsync("Bob", "bob");
        var token = (await Hub.Api.LoginAsync("bob", HubApi.OwnerPassword))["access_token"]!.GetValue<string>();
        var (bob, _) = await Hub.WebSocketFromAsync("127.0.0.7", token);
        await using var _ = bob;
        for (var i = 0; i < 100; i++)
        {
            var created = await bob.CallAsync("auth/long_lived_access_token", new JsonObject { ["client_name"] = $"script {i}", ["lifespan"] = 30 });
            Assert.That(created["success"]!.GetValue<bool>(), Is.True, created.ToJsonString());
        }

        var refused = await bob.CallAsync("auth/long_lived_access_token", new JsonObject { ["client_name"] = "one more", ["lifespan"] = 30 });
        var oldest = (await bob.CallAsync("auth/refresh_tokens"))["result"]!.AsArray()
            .First(t => t!["type"]!.GetValue<string>() == "long_lived_access_token")!["id"]!.GetValue<string>();
        var deleted = await bob.CallAsync("auth/delete_refresh_token", new JsonObject { ["refresh_token_id"] = oldest });
        var again = await bob.CallAsync("auth/long_lived_access_token", new JsonObject { ["client_name"] = "one more", ["lifespan"] = 30 });

        Assert.That(refused["error"]?["code"]?.GetValue<string>(), Is.EqualTo("too_many_tokens"), refused.ToJsonString());
        Assert.That(refused["error"]!["message"]!.GetValue<string>(), Does.Contain("100").And.Contain("auth/delete_refresh_token"));
        Assert.That(deleted["success"]!.GetValue<bool>(), Is.True, deleted.ToJsonString());
        Assert.That(again["success"]!.GetValue<bool>(), Is.True, again.ToJsonString());
    }
}
