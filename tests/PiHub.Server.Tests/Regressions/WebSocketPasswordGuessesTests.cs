using System.Net;
using System.Text.Json.Nodes;
using OtpNet;
using PiHub.Core.Auth;
using PiHub.Server.Auth;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Server.Tests.Security;
using PiHub.Testing;

namespace PiHub.Server.Tests.Regressions;

/// <summary>
/// Issue 9, item 6: <c>change_password</c>, <c>auth/depose_mfa</c> and <c>pihub/mfa/recovery_codes</c> with wrong
/// passwords or codes answered <c>invalid_auth</c> as fast as they were sent, were not counted towards bans (the journal
/// said <c>Login refused from (null)</c>) and bypassed the one-hash-per-core limiter. They now go through the same
/// limiter and the same ban accounting as <c>/auth/login_flow</c>, attributed to the connection's address.
/// </summary>
public class WebSocketPasswordGuessesTests
{
    private const string Attacker = "127.0.0.2";

    private TestHub _hub = null!;
    private string _malloryToken = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _hub = await TestHub.StartAsync(passwordIterations: PasswordHasher.DefaultIterations); // production cost: the limiter only has something to limit when each check is slow
        await _hub.OnboardAsync();
        await _hub.CreateUserAsync("Mallory", "mallory");
        _malloryToken = (await _hub.Api.LoginAsync("mallory", HubApi.OwnerPassword))["access_token"]!.GetValue<string>();
    }

    [TearDown]
    public Task StopAsync() => _hub.DisposeAsync().AsTask();

    [TestCase("config/auth_provider/homeassistant/change_password", """{"current_password":"a guess","new_password":"taken over by mallory"}""")]
    [TestCase("auth/depose_mfa", """{"mfa_module_id":"totp","password":"a guess","code":"123456"}""")]
    [TestCase("pihub/mfa/recovery_codes", """{"password":"a guess","code":"123456"}""")]
    public async Task FiveWrongPasswords_OverWebSocket_BanTheConnectionsAddress(string command, string fields)
    {
        var (ws, _) = await _hub.WebSocketFromAsync(Attacker, _malloryToken);
        await using var _ = ws;
        var answers = new List<JsonNode>();
        for (var i = 0; i < 5; i++) answers.Add(await ws.CallAsync(command, JsonNode.Parse(fields)!.AsObject()));

        var sixth = await ws.CallAsync(command, JsonNode.Parse(fields)!.AsObject());
        using var attacker = _hub.ClientFrom(Attacker);
        var http = await attacker.GetAsync("auth/providers");
        var bans = await BannedAddressesAsync();

        Assert.That(answers.Select(a => a["error"]!["code"]!.GetValue<string>()), Is.All.EqualTo("invalid_auth"));
        Assert.That(sixth["error"]!["code"]!.GetValue<string>(), Is.EqualTo("banned"), "no more guesses on the open connection");
        Assert.That(http.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(bans, Is.EqualTo(new[] { Attacker }), "attributed to the connection's address");
    }

    [Test]
    public async Task FiveWrongCodes_RightPassword_BanTheConnectionsAddress()
    {
        var (ws, _) = await _hub.WebSocketFromAsync(Attacker, _malloryToken);
        await using var _ = ws;
        var form = (await ws.CallAsync("auth/setup_mfa", new JsonObject { ["mfa_module_id"] = "totp" }))["result"]!;
        var secret = form["description_placeholders"]!["code"]!.GetValue<string>();
        var done = await ws.CallAsync("auth/setup_mfa", new JsonObject
        {
            ["flow_id"] = form["flow_id"]!.GetValue<string>(),
            ["user_input"] = new JsonObject { ["code"] = new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp() },
        });
        Assert.That(done["result"]!["type"]!.GetValue<string>(), Is.EqualTo("create_entry"), done.ToJsonString());

        var answers = new List<JsonNode>();
        for (var i = 0; i < 5; i++)
        {
            answers.Add(await ws.CallAsync("auth/depose_mfa", new JsonObject
            {
                ["mfa_module_id"] = "totp",
                ["password"] = HubApi.OwnerPassword,
                ["code"] = "000000",
            }));
        }

        using var attacker = _hub.ClientFrom(Attacker);
        var http = await attacker.GetAsync("auth/providers");

        Assert.That(answers.Select(a => a["error"]!["code"]!.GetValue<string>()), Is.All.EqualTo("invalid_code"));
        Assert.That(http.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task ManyConnectionsGuessingAtOnce_WhileTheAddressHasACheckRunning_BeyondItsQueueTooManyRequests()
    {
        var sockets = new List<WsClient>();
        for (var i = 0; i < 10; i++) sockets.Add((await _hub.WebSocketFromAsync(Attacker, _malloryToken)).Client);

        // The address's one running check (as a login step from it would be), held until the guesses have arrived.
        var running = await _hub.Service<PasswordCheckLimiter>().AcquireAsync(IPAddress.Parse(Attacker), CancellationToken.None);
        var calls = sockets.Select(ws => Attacks.CallAsync(ws, "config/auth_provider/homeassistant/change_password",
            new JsonObject { ["current_password"] = "a guess", ["new_password"] = "taken over by mallory" })).ToList();
        var pending = calls.ToList();
        var refusedAtOnce = new List<JsonNode>();
        for (var i = 0; i < calls.Count - PasswordCheckLimiter.QueuePerClient; i++)
        {
            var done = await Task.WhenAny(pending);
            pending.Remove(done);
            refusedAtOnce.Add(await done);
        }

        running!.Dispose();
        var queued = await Task.WhenAll(pending);
        foreach (var ws in sockets) await ws.DisposeAsync();

        Assert.That(refusedAtOnce.Select(a => a["error"]!["code"]!.GetValue<string>()), Is.All.EqualTo("too_many_requests"));
        Assert.That(queued.Select(a => a["error"]!["code"]!.GetValue<string>()), Is.All.EqualTo("invalid_auth"),
            "the queued ones were checked, one at a time, once the running check ended");
        Assert.That(queued, Has.Length.EqualTo(PasswordCheckLimiter.QueuePerClient));
    }

    [Test]
    public async Task GuessesOverWebSocket_DoNotStopTheOwnerLoggingInFromElsewhere()
    {
        var guesses = Enumerable.Range(0, 4).Select(_ => Attacks.WrongPasswordsOverWebSocketAsync(_hub, Attacker, _malloryToken, 12)).ToList();
        using var owner = _hub.ClientFrom("127.0.0.3");

        var login = await Attacks.LogInAsync(owner);
        var answers = (await Task.WhenAll(guesses)).SelectMany(a => a).ToList();

        Assert.That(login["access_token"], Is.Not.Null);
        Assert.That(answers.Count(a => a["error"]?["code"]?.GetValue<string>() == "invalid_auth"), Is.EqualTo(5),
            "one check at a time per address, and the fifth failure bans it: no sixth password is ever checked");
    }

    private async Task<List<string>> BannedAddressesAsync()
    {
        var (ws, _) = await WsClient.AuthenticateAsync(_hub.WebSocketUri, _hub.AccessToken);
        await using var _ = ws;
        var list = await ws.CallAsync("pihub/bans/list");
        return [.. list["result"]!.AsArray().Select(b => b!["address"]!.GetValue<string>())];
    }
}
