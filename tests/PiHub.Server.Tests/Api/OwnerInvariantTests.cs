using System.Text.Json.Nodes;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Testing;

namespace PiHub.Server.Tests.Api;

/// <summary>Exactly one active owner, whatever an admin sends over the WebSocket API.</summary>
public class OwnerInvariantTests : OnboardedHubTests
{
    private WsClient _owner = null!;
    private string _ownerId = null!;

    protected override async Task OnHubStartedAsync()
    {
        (_owner, _) = await WsClient.AuthenticateAsync(Hub.WebSocketUri, Hub.AccessToken);
        _ownerId = (await _owner.CallAsync("auth/current_user"))["result"]!["id"]!.GetValue<string>();
    }

    [TearDown]
    public Task CloseOwnerSocketAsync() => _owner.DisposeAsync().AsTask();

    private async Task<List<JsonNode>> UsersAsync() =>
        [.. (await _owner.CallAsync("config/auth/list"))["result"]!.AsArray().Select(u => u!)];

    private static object[] s_attacks =
    [
        new object[] { "config/auth/delete", "{}" },
        new object[] { "config/auth/update", """{"is_active":false}""" },
        new object[] { "config/auth/update", """{"group_ids":["system-users"]}""" },
        new object[] { "config/auth/update", """{"group_ids":["system-read-only"]}""" },
    ];

    [TestCaseSource(nameof(s_attacks))]
    public async Task AdminCommand_AgainstOwner_RefusedAndOwnerUnchanged(string type, string fields)
    {
        var message = JsonNode.Parse(fields)!.AsObject();
        message["user_id"] = _ownerId;

        var result = await _owner.CallAsync(type, message);
        var owners = (await UsersAsync()).Where(u => u["is_owner"]!.GetValue<bool>() && u["is_active"]!.GetValue<bool>()).ToList();

        Assert.That(result["success"]!.GetValue<bool>(), Is.False);
        Assert.That(result["error"]!["message"]!.GetValue<string>(), Does.Contain("owner"));
        Assert.That(owners.Select(o => o["id"]!.GetValue<string>()), Is.EqualTo(new[] { _ownerId }));
    }

    [Test]
    public async Task Transfer_ToAnotherUser_ExactlyOneOwnerAfterwards()
    {
        var created = await _owner.CallAsync("config/auth/create", new JsonObject { ["name"] = "Heir", ["group_ids"] = new JsonArray("system-users") });
        var heir = created["result"]!["user"]!["id"]!.GetValue<string>();
        var withoutLogin = await _owner.CallAsync("pihub/owner/transfer", new JsonObject { ["user_id"] = heir });
        await _owner.CallAsync("config/auth_provider/homeassistant/create", new JsonObject { ["user_id"] = heir, ["username"] = "heir", ["password"] = HubApi.OwnerPassword });

        var transfer = await _owner.CallAsync("pihub/owner/transfer", new JsonObject { ["user_id"] = heir });
        var owners = (await UsersAsync()).Where(u => u["is_owner"]!.GetValue<bool>()).Select(u => u["id"]!.GetValue<string>()).ToList();

        Assert.That(withoutLogin["error"]!["message"]!.GetValue<string>(), Does.Contain("no username and password"), "an owner who cannot log in would lock everyone out");
        Assert.That(transfer["success"]!.GetValue<bool>(), Is.True, transfer.ToJsonString());
        Assert.That(owners, Is.EqualTo(new[] { heir }));
    }
}
