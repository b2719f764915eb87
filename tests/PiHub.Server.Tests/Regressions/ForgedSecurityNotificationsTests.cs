using System.Text.Json.Nodes;
using PiHub.Core.Hub;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Server.Tests.Security;
using PiHub.Testing;

namespace PiHub.Server.Tests.Regressions;

/// <summary>
/// Issue 24, item 10: a non-admin user dismissed the hub's ban notice (<c>ip_ban_127.0.0.66</c>) from the owner's
/// list and planted a fake <c>auth_store_recovery</c> alert, and could create notifications without limit. The
/// hub's own ids are now reserved (only the hub creates them, only an admin dismisses them), and each user may
/// have 100 notifications of at most 16,384 characters.
/// </summary>
public class ForgedSecurityNotificationsTests
{
    private TestHub _hub = null!;
    private WsClient _mallory = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _hub = await TestHub.StartAsync();
        await _hub.OnboardAsync();
        await _hub.CreateUserAsync("Mallory", "mallory");
        using var client = _hub.ClientFrom("127.0.0.60");
        var token = (await Attacks.LogInAsync(client, "mallory"))["access_token"]!.GetValue<string>();
        (_mallory, _) = await _hub.WebSocketFromAsync("127.0.0.60", token);
    }

    [TearDown]
    public async Task StopAsync()
    {
        await _mallory.DisposeAsync();
        await _hub.DisposeAsync();
    }

    [Test]
    public async Task NonAdmin_DismissesTheHubsBanNotice_RefusedAndTheOwnerStillSeesIt()
    {
        await _hub.Service<HubCore>().Notifications.CreateAsync("127.0.0.66 is banned.", "Address banned after failed logins", "ip_ban_127.0.0.66");

        var dismissed = await NotificationAsync(_mallory, "dismiss", new JsonObject { ["notification_id"] = "ip_ban_127.0.0.66" });
        var (owner, _) = await WsClient.AuthenticateAsync(_hub.WebSocketUri, _hub.AccessToken);
        await using var ownerSocket = owner;
        var shown = (await owner.CallAsync("persistent_notification/get"))["result"]!.AsObject();
        var byOwner = await NotificationAsync(owner, "dismiss", new JsonObject { ["notification_id"] = "ip_ban_127.0.0.66" });

        Assert.That(dismissed["success"]!.GetValue<bool>(), Is.False, dismissed.ToJsonString());
        Assert.That(dismissed["error"]!["code"]!.GetValue<string>(), Is.EqualTo("unauthorized"));
        Assert.That(dismissed["error"]!["message"]!.GetValue<string>(), Does.Contain("only an administrator may dismiss it"));
        Assert.That(shown.ContainsKey("ip_ban_127.0.0.66"), Is.True, "the ban notice is still on the owner's list");
        Assert.That(byOwner["success"]!.GetValue<bool>(), Is.True, "an admin dismisses it");
    }

    [TestCase("auth_store_recovery")]
    [TestCase("ip_ban_192.168.1.20")]
    [TestCase("Recorder_Failure")]
    public async Task NonAdmin_CreatesWithAHubId_RefusedAndNothingPlanted(string id)
    {
        var created = await NotificationAsync(_mallory, "create", new JsonObject
        {
            ["notification_id"] = id, ["title"] = "PiHub recovered its user database", ["message"] = "Log in again at http://evil.example",
        });
        var shown = (await _mallory.CallAsync("persistent_notification/get"))["result"]!.AsObject();

        Assert.That(created["success"]!.GetValue<bool>(), Is.False, created.ToJsonString());
        Assert.That(created["error"]!["message"]!.GetValue<string>(), Does.Contain("reserved for the hub's own notices"));
        Assert.That(shown.Select(n => n.Key), Has.None.EqualTo(id));
    }

    [Test]
    public async Task NonAdmin_ManyOrHugeNotifications_RefusedPastTheCaps()
    {
        var answers = new List<JsonNode>();
        answers.Add(await NotificationAsync(_mallory, "create", new JsonObject { ["message"] = "first", ["notification_id"] = "mine" }));
        for (var i = 1; i < 105; i++) answers.Add(await NotificationAsync(_mallory, "create", new JsonObject { ["message"] = $"spam {i}" }));
        var replaced = await NotificationAsync(_mallory, "create", new JsonObject { ["message"] = "again", ["notification_id"] = "mine" });
        var huge = await NotificationAsync(_mallory, "create", new JsonObject { ["message"] = new string('x', 16_385), ["notification_id"] = "huge" });
        var shown = (await _mallory.CallAsync("persistent_notification/get"))["result"]!.AsObject();

        Assert.That(answers.Take(100).All(a => a["success"]!.GetValue<bool>()), Is.True, "100 are allowed");
        Assert.That(answers.Skip(100).Select(a => a["success"]!.GetValue<bool>()), Has.All.False);
        Assert.That(answers[100]["error"]!["message"]!.GetValue<string>(), Does.Contain("100 notifications").And.Contain("dismiss"));
        Assert.That(replaced["success"]!.GetValue<bool>(), Is.True, "replacing one of your own is not one more");
        Assert.That(huge["success"]!.GetValue<bool>(), Is.False);
        Assert.That(huge["error"]!["message"]!.GetValue<string>(), Does.Contain("16384"));
        Assert.That(shown, Has.Count.EqualTo(100));
    }

    private static Task<JsonNode> NotificationAsync(WsClient ws, string service, JsonObject data) =>
        ws.CallAsync("call_service", new JsonObject { ["domain"] = "persistent_notification", ["service"] = service, ["service_data"] = data });
}
