using System.Text.Json.Nodes;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Testing;

namespace PiHub.Server.Tests.Regressions;

/// <summary>
/// Issue 24, item 1: a second admin set the owner's password with
/// <c>config/auth_provider/homeassistant/admin_change_password</c> (every owner token revoked, then a login as the
/// owner and <c>pihub/owner/transfer</c> to himself), and could set <c>local_only</c> on the owner. Only the owner,
/// or pihub-cli on the hub, changes the owner's credentials, second factor and restrictions; an admin is refused
/// with <c>owner_only</c>. Run against the real server, the second admin connecting from another address.
/// </summary>
public class AdminTakesOwnersPlaceTests : OnboardedHubTests
{
    private const string Attacker = "127.0.0.66";

    private async Task<(WsClient Admin, string OwnerId)> SecondAdminAsync()
    {
        await Hub.CreateUserAsync("Mallory", "mallory", admin: true);
        var token = (await Hub.Api.LoginAsync("mallory", HubApi.OwnerPassword))["access_token"]!.GetValue<string>();
        var (admin, answer) = await Hub.WebSocketFromAsync(Attacker, token);
        Assert.That(answer["type"]!.GetValue<string>(), Is.EqualTo("auth_ok"), answer.ToJsonString());
        var (owner, _) = await WsClient.AuthenticateAsync(Hub.WebSocketUri, Hub.AccessToken);
        await using var _ = owner;
        var ownerId = (await owner.CallAsync("auth/current_user"))["result"]!["id"]!.GetValue<string>();
        return (admin, ownerId);
    }

    [Test]
    public async Task AdminChangePassword_OfOwnerBySecondAdmin_RefusedOwnerOnlyAndOwnerStillLogsIn()
    {
        var (admin, ownerId) = await SecondAdminAsync();
        await using var _ = admin;

        var answer = await admin.CallAsync("config/auth_provider/homeassistant/admin_change_password",
            new JsonObject { ["user_id"] = ownerId, ["password"] = "taken over by mallory" });

        Assert.That(answer["success"]!.GetValue<bool>(), Is.False, answer.ToJsonString());
        Assert.That(answer["error"]!["code"]!.GetValue<string>(), Is.EqualTo("owner_only"));
        Assert.That(answer["error"]!["message"]!.GetValue<string>(), Does.Contain("Only the owner").And.Contain("pihub-cli users passwd"));
        Assert.That((await Hub.Api.LoginAsync("owner", HubApi.OwnerPassword))["access_token"], Is.Not.Null);
        Assert.That(() => Hub.Api.LoginAsync("owner", "taken over by mallory"), Throws.InvalidOperationException);
    }

    [TestCase("""{"local_only":true}""")]
    [TestCase("""{"group_ids":["system-admin","system-read-only"]}""")]
    public async Task Update_OwnersRestrictionsBySecondAdmin_RefusedOwnerOnlyAndUnchanged(string fields)
    {
        var (admin, ownerId) = await SecondAdminAsync();
        await using var _ = admin;
        var message = JsonNode.Parse(fields)!.AsObject();
        message["user_id"] = ownerId;

        var answer = await admin.CallAsync("config/auth/update", message);
        var owner = (await admin.CallAsync("config/auth/list"))["result"]!.AsArray().Single(u => u!["id"]!.GetValue<string>() == ownerId)!;

        Assert.That(answer["error"]?["code"]?.GetValue<string>(), Is.EqualTo("owner_only"), answer.ToJsonString());
        Assert.That(owner["local_only"]!.GetValue<bool>(), Is.False);
        Assert.That(owner["group_ids"]!.AsArray().Select(g => g!.GetValue<string>()), Is.EqualTo(new[] { "system-admin" }));
    }

    [Test]
    public async Task Update_OwnersNameBySecondAdmin_Allowed()
    {
        var (admin, ownerId) = await SecondAdminAsync();
        await using var _ = admin;

        var answer = await admin.CallAsync("config/auth/update", new JsonObject { ["user_id"] = ownerId, ["name"] = "The Owner" });

        Assert.That(answer["success"]!.GetValue<bool>(), Is.True, answer.ToJsonString());
    }

    [Test]
    public async Task MfaReset_OfOwnerBySecondAdmin_RefusedOwnerOnly()
    {
        var (admin, ownerId) = await SecondAdminAsync();
        await using var _ = admin;

        var answer = await admin.CallAsync("pihub/mfa/reset", new JsonObject { ["user_id"] = ownerId });

        Assert.That(answer["error"]?["code"]?.GetValue<string>(), Is.EqualTo("owner_only"), answer.ToJsonString());
    }

    [Test]
    public async Task OwnerSetsOwnLocalOnlyAndPassword_Allowed()
    {
        var (owner, _) = await WsClient.AuthenticateAsync(Hub.WebSocketUri, Hub.AccessToken);
        await using var __ = owner;
        var ownerId = (await owner.CallAsync("auth/current_user"))["result"]!["id"]!.GetValue<string>();

        var update = await owner.CallAsync("config/auth/update", new JsonObject { ["user_id"] = ownerId, ["local_only"] = true });
        // The owner's own reset ends every owner session, this socket's too, so the answer may not arrive.
        await owner.SendAsync(new JsonObject
        {
            ["id"] = 99, ["type"] = "config/auth_provider/homeassistant/admin_change_password",
            ["user_id"] = ownerId, ["password"] = "the owner's new one",
        });
        await owner.WaitForCloseAsync(TimeSpan.FromSeconds(10));

        Assert.That(update["success"]!.GetValue<bool>(), Is.True, update.ToJsonString());
        Assert.That((await Hub.Api.LoginAsync("owner", "the owner's new one"))["access_token"], Is.Not.Null);
    }
}
