using System.Text.Json.Nodes;
using PiHub.Cli.Tests.Infrastructure;
using PiHub.Testing;

namespace PiHub.Cli.Tests.Stories;

/// <summary>
/// Every owner rule (<c>OwnerRules</c> in PiHub.Core) through both write paths: the WebSocket API as a user, and
/// pihub-cli as the console. A rule that binds both refuses both with the same code; a rule that only the console
/// may pass (it is the recovery path) refuses an administrator and lets the console through.
/// </summary>
public sealed class OwnerRulesBothPathsTests
{
    private const string Password = "a new password 1";
    private CliHub _hub = null!;
    private WsClient _admin = null!;
    private WsClient _owner = null!;
    private Dictionary<string, string> _ids = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _hub = await CliHub.StartWithOwnerAsync();
        foreach (var (username, role) in new[] { ("mallory", "--admin"), ("bob", "--read-only"), ("gone", "--read-only") })
        {
            var add = await _hub.CliWithInputAsync(Password + "\n", "users", "add", username, role, "--password-stdin");
            Assert.That(add.ExitCode, Is.Zero, add.ToString);
        }

        var token = (await _hub.LoginAsync("mallory", Password))["access_token"]!.GetValue<string>();
        (_admin, _) = await WsClient.AuthenticateAsync(_hub.Api.WebSocketUri, token);
        (_owner, _) = await WsClient.AuthenticateAsync(_hub.Api.WebSocketUri, _hub.Api.AccessToken);
        Assert.That((await _hub.CliAsync("users", "disable", "gone")).ExitCode, Is.Zero);
        var users = JsonNode.Parse((await _hub.CliAsync("users", "list", "--json")).Out)!["users"]!.AsArray();
        _ids = users.ToDictionary(u => u!["username"]!.GetValue<string>(), u => u!["id"]!.GetValue<string>());
    }

    [TearDown]
    public async Task StopAsync()
    {
        await _admin.DisposeAsync();
        await _owner.DisposeAsync();
        await _hub.DisposeAsync();
    }

    /// <summary>Rule, who sends the WebSocket command, the command and its fields, the pihub-cli words, the code.</summary>
    private static readonly object[] s_bindingBoth =
    [
        new object[] { "owner is never disabled", "admin", "config/auth/update", """{"user_id":"owner","is_active":false}""", "users disable owner", "owner_protected" },
        new object[] { "owner is never disabled, not even by the owner", "owner", "config/auth/update", """{"user_id":"owner","is_active":false}""", "users disable owner", "owner_protected" },
        new object[] { "owner is never removed", "admin", "config/auth/delete", """{"user_id":"owner"}""", "users remove owner", "owner_protected" },
        new object[] { "new owner is an enabled person", "owner", "pihub/owner/transfer", """{"user_id":"gone"}""", "owner transfer gone", "invalid_request" },
    ];

    [TestCaseSource(nameof(s_bindingBoth))]
    public async Task OwnerRule_BindingBothPaths_SameRefusalCode(string rule, string sender, string type, string fields, string cli, string code)
    {
        var ws = await SendAsync(sender, type, fields);
        var console = await _hub.CliAsync([.. cli.Split(' '), "--json"]);

        Assert.That(ws["error"]?["code"]?.GetValue<string>(), Is.EqualTo(code), $"{rule}, WebSocket: {ws.ToJsonString()}");
        Assert.That(console.ExitCode, Is.EqualTo(ExitCodes.Failed), $"{rule}, pihub-cli: {console}");
        Assert.That(JsonNode.Parse(console.Out)?["error"]?.GetValue<string>(), Is.EqualTo(code), $"{rule}, pihub-cli: {console}");
    }

    /// <summary>Rules the console passes: an administrator is refused with the code, pihub-cli does it.</summary>
    private static readonly object[] s_consoleOnly =
    [
        new object[] { "only the owner changes the owner's password", "admin", "config/auth_provider/homeassistant/admin_change_password", """{"user_id":"owner","password":"a new password 2"}""", "users passwd owner --password-stdin", "owner_only" },
        new object[] { "only the owner changes the owner's second factor", "admin", "pihub/mfa/reset", """{"user_id":"owner"}""", "mfa reset owner", "owner_only" },
        new object[] { "only the owner hands ownership on", "admin", "pihub/owner/transfer", """{"user_id":"mallory"}""", "owner transfer mallory", "unauthorized" },
    ];

    [TestCaseSource(nameof(s_consoleOnly))]
    public async Task OwnerRule_ConsoleOnly_AdminRefusedConsoleAllowed(string rule, string sender, string type, string fields, string cli, string code)
    {
        var ws = await SendAsync(sender, type, fields);
        var console = await _hub.CliWithInputAsync(Password + "\n", cli.Split(' '));

        Assert.That(ws["error"]?["code"]?.GetValue<string>(), Is.EqualTo(code), $"{rule}, WebSocket: {ws.ToJsonString()}");
        Assert.That(console.ExitCode, Is.Zero, $"{rule}, pihub-cli: {console}");
    }

    [Test]
    public async Task OwnerRule_OwnersRestrictionsByAdmin_RefusedOwnerOnly()
    {
        var localOnly = await SendAsync("admin", "config/auth/update", """{"user_id":"owner","local_only":true}""");
        var groups = await SendAsync("admin", "config/auth/update", """{"user_id":"owner","group_ids":["system-admin","system-read-only"]}""");
        var demoted = await SendAsync("owner", "config/auth/update", """{"user_id":"owner","group_ids":["system-users"]}""");

        Assert.That(localOnly["error"]?["code"]?.GetValue<string>(), Is.EqualTo("owner_only"), localOnly.ToJsonString());
        Assert.That(groups["error"]?["code"]?.GetValue<string>(), Is.EqualTo("owner_only"), groups.ToJsonString());
        Assert.That(demoted["error"]?["code"]?.GetValue<string>(), Is.EqualTo("owner_protected"), demoted.ToJsonString());
    }

    private Task<JsonNode> SendAsync(string sender, string type, string fields)
    {
        var message = JsonNode.Parse(fields)!.AsObject();
        message["user_id"] = _ids[message["user_id"]!.GetValue<string>()];
        return (sender == "owner" ? _owner : _admin).CallAsync(type, message);
    }
}
