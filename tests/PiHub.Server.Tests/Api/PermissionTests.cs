using System.Net;
using System.Text.Json.Nodes;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Server.WebSockets;
using PiHub.Testing;

namespace PiHub.Server.Tests.Api;

/// <summary>
/// Groups enforced on every REST endpoint and every WebSocket command: read-only users read and
/// subscribe, nothing else; plain users also call services; admins (and the owner) do the rest.
/// </summary>
public class PermissionTests() : OnboardedHubTests(HubLifetime.PerFixture)
{
    private readonly Dictionary<string, string> _tokens = [];

    protected override async Task OnHubStartedAsync()
    {
        _tokens["owner"] = Hub.AccessToken!;
        foreach (var (name, group) in new[] { ("reader", "system-read-only"), ("member", "system-users") })
        {
            var (ws, _) = await WsClient.AuthenticateAsync(Hub.WebSocketUri, Hub.AccessToken);
            await using (ws)
            {
                var created = await ws.CallAsync("config/auth/create", new JsonObject { ["name"] = name, ["group_ids"] = new JsonArray(group) });
                var id = created["result"]!["user"]!["id"]!.GetValue<string>();
                await ws.CallAsync("config/auth_provider/homeassistant/create", new JsonObject { ["user_id"] = id, ["username"] = name, ["password"] = HubApi.OwnerPassword });
            }

            _tokens[name] = (await Hub.Api.LoginAsync(name, HubApi.OwnerPassword))["access_token"]!.GetValue<string>();
        }

        await Owner.PostAsync("api/states/sensor.perm", TestHub.Json("""{"state":"1"}"""));
    }

    private static readonly object[] s_rest =
    [
        new object[] { "GET", "api/", "", true, true },
        new object[] { "GET", "api/config", "", true, true },
        new object[] { "GET", "api/states", "", true, true },
        new object[] { "GET", "api/states/sensor.perm", "", true, true },
        new object[] { "GET", "api/services", "", true, true },
        new object[] { "POST", "api/services/input_boolean/toggle", """{"entity_id":"input_boolean.porch"}""", false, true },
        new object[] { "POST", "api/states/sensor.perm_new", """{"state":"2"}""", false, false },
        new object[] { "DELETE", "api/states/sensor.perm", "", false, false },
        new object[] { "POST", "api/events/perm_event", "{}", false, false },
    ];

    [TestCaseSource(nameof(s_rest))]
    public async Task Rest_ReaderAndMember_OnlyWhatTheirGroupAllows(string method, string path, string body, bool readerAllowed, bool memberAllowed)
    {
        foreach (var (user, allowed) in new[] { ("reader", readerAllowed), ("member", memberAllowed) })
        {
            using var client = Hub.Client(_tokens[user]);
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (body.Length > 0) request.Content = TestHub.Json(body);

            var response = await client.SendAsync(request);

            if (allowed)
            {
                Assert.That((int)response.StatusCode, Is.LessThan(400), $"{user} {method} {path}");
            }
            else
            {
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), $"{user} {method} {path}");
                Assert.That((await TestHub.JsonAsync(response))["message"]!.GetValue<string>(), Does.Contain(user));
            }
        }
    }

    /// <summary>The policy itself: which commands change the hub, and who may run them.</summary>
    [Test]
    public void CommandPolicy_WritesAndAdministrationAreNotOpenToReaders()
    {
        var admin = WsCommands.Names.Where(n => n.StartsWith("config/auth", StringComparison.Ordinal) && !n.EndsWith("/change_password", StringComparison.Ordinal)
            || n.StartsWith("pihub/bans/", StringComparison.Ordinal) || n.StartsWith("pihub/webhook/", StringComparison.Ordinal)
            || n is "fire_event" or "pihub/owner/transfer" or "pihub/mfa/reset").ToList();

        Assert.That(admin, Has.Count.GreaterThanOrEqualTo(10));
        Assert.That(admin.Where(n => WsCommands.AccessOf(n) != WsAccess.Admin), Is.Empty);
        Assert.That(WsCommands.AccessOf("call_service"), Is.EqualTo(WsAccess.Write));
    }

    /// <summary>Fields that make a command valid enough to reach its permission check and past it.</summary>
    private static JsonObject FieldsFor(string type) => type switch
    {
        "subscribe_events" => new JsonObject { ["event_type"] = "state_changed" },
        "call_service" => new JsonObject { ["domain"] = "input_boolean", ["service"] = "toggle", ["service_data"] = new JsonObject { ["entity_id"] = "input_boolean.porch" } },
        "fire_event" => new JsonObject { ["event_type"] = "perm_ws" },
        _ => [],
    };

    // Commands that would end the test's own session.
    private static readonly HashSet<string> s_skip = ["auth/delete_all_refresh_tokens"];

    [TestCase("reader", 0)]
    [TestCase("member", 1)]
    [TestCase("owner", 2)]
    public async Task EveryWebSocketCommand_PermissionMatchesGroup(string user, int levelValue)
    {
        var level = (WsAccess)levelValue;
        var (ws, answer) = await WsClient.AuthenticateAsync(Hub.WebSocketUri, _tokens[user]);
        await using var _ = ws;
        Assert.That(answer["type"]!.GetValue<string>(), Is.EqualTo("auth_ok"));
        var checkedCommands = 0;
        foreach (var type in WsCommands.Names.Where(n => !s_skip.Contains(n)).Order(StringComparer.Ordinal))
        {
            var result = await ws.CallAsync(type, FieldsFor(type));
            var refused = result["success"]?.GetValue<bool>() == false && result["error"]!["code"]!.GetValue<string>() == "unauthorized";
            var allowed = WsCommands.AccessOf(type) <= level;
            Assert.That(refused, Is.EqualTo(!allowed), $"{user} → {type}: {result.ToJsonString()}");
            checkedCommands++;
        }

        Assert.That(checkedCommands, Is.GreaterThan(20));
    }
}
