using System.Net;
using System.Text.Json.Nodes;
using PiHub.Cli.Tests.Infrastructure;
using PiHub.Testing;

namespace PiHub.Cli.Tests.Stories;

/// <summary>
/// The locked-out owner's stories: each starts from the broken state and ends with the owner logging in over
/// HTTP, using only pihub-cli on the hub in between — with the service running or stopped.
/// </summary>
[TestFixture(HubMode.Running)]
[TestFixture(HubMode.Stopped)]
public sealed class LockedOutStoryTests(HubMode mode)
{
    private const string NewPassword = "back in business 1";

    private CliHub _hub = null!;

    [SetUp]
    public async Task StartAsync() => _hub = await CliHub.StartWithOwnerAsync();

    [TearDown]
    public async Task StopAsync() => await _hub.DisposeAsync();

    [Test]
    public async Task RestoredBackupLeftANonOwnerUser_OwnerTransfer_TheyLogInAsOwner()
    {
        // The backup's owner is an old account nobody has the password of; alice can log in but owns nothing.
        AssertOk(await _hub.CliWithInputAsync(NewPassword + "\n", "users", "add", "alice", "--password-stdin"));
        AssertOk(await _hub.CliWithInputAsync("forgotten long ago\n", "users", "passwd", "owner", "--password-stdin"));
        await _hub.EnterAsync(mode);

        AssertOk(await _hub.CliAsync("owner", "transfer", "alice"));

        var tokens = await LoginAsync("alice", NewPassword);
        Assert.That(await IsOwnerAsync(tokens), Is.True);
    }

    [Test]
    public async Task BannedFromTheLaptop_BansLift_OwnerLogsInFromTheLaptop()
    {
        using (var laptop = _hub.From("127.0.0.2"))
        {
            for (var i = 0; i < 5; i++) await WrongPasswordAsync(laptop);
            using var refused = await laptop.GetAsync("auth/providers");
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        }

        await _hub.EnterAsync(mode);

        AssertOk(await _hub.CliAsync("bans", "lift", "127.0.0.2"));

        await _hub.StartAsync();
        using var again = _hub.From("127.0.0.2");
        var api = new HubApi(_hub.Api.BaseUri);
        var flow = await JsonAsync(await again.PostAsync("auth/login_flow", HubApi.Json($$"""{"client_id":"{{HubApi.ClientId}}","handler":["homeassistant",null],"redirect_uri":"{{HubApi.ClientId}}"}""")));
        var step = await JsonAsync(await again.PostAsync($"auth/login_flow/{flow["flow_id"]}", HubApi.Json($$"""{"client_id":"{{HubApi.ClientId}}","username":"owner","password":"{{HubApi.OwnerPassword}}"}""")));
        Assert.That(step["type"]!.GetValue<string>(), Is.EqualTo("create_entry"), step.ToJsonString());
        api.Dispose();
    }

    [Test]
    public async Task ForgotThePassword_UsersPasswd_OwnerLogsInWithTheNewOne()
    {
        await _hub.EnterAsync(mode);

        AssertOk(await _hub.CliWithInputAsync(NewPassword + "\n", "users", "passwd", "owner", "--password-stdin"));

        var tokens = await LoginAsync("owner", NewPassword);
        Assert.That(await IsOwnerAsync(tokens), Is.True);
    }

    [Test]
    public async Task LostTheTotpPhone_MfaReset_OwnerLogsInWithPasswordAlone()
    {
        await Totp.EnrolAsync(_hub, "owner");
        Assert.That(await StartLoginAsync("owner", HubApi.OwnerPassword), Is.EqualTo("mfa"));
        await _hub.EnterAsync(mode);

        AssertOk(await _hub.CliAsync("mfa", "reset", "owner"));

        var tokens = await LoginAsync("owner", HubApi.OwnerPassword);
        Assert.That(await IsOwnerAsync(tokens), Is.True);
    }

    [Test]
    public async Task LostPhoneAndRecoveryCodes_MfaRecoveryCodes_OwnerLogsInWithANewCode()
    {
        await Totp.EnrolAsync(_hub, "owner");
        await _hub.EnterAsync(mode);

        var run = await _hub.CliAsync("mfa", "recovery-codes", "owner", "--json");
        AssertOk(run);
        var code = JsonNode.Parse(run.Out)!["recovery_codes"]![0]!.GetValue<string>();

        await _hub.StartAsync();
        var flow = await _hub.Api.PostJsonAsync("auth/login_flow", new JsonObject { ["client_id"] = HubApi.ClientId, ["handler"] = new JsonArray("homeassistant", null), ["redirect_uri"] = HubApi.ClientId });
        var id = flow["flow_id"]!.GetValue<string>();
        var mfa = await _hub.Api.PostJsonAsync($"auth/login_flow/{id}", new JsonObject { ["client_id"] = HubApi.ClientId, ["username"] = "owner", ["password"] = HubApi.OwnerPassword });
        Assert.That(mfa["step_id"]!.GetValue<string>(), Is.EqualTo("mfa"));
        var done = await _hub.Api.PostJsonAsync($"auth/login_flow/{id}", new JsonObject { ["client_id"] = HubApi.ClientId, ["code"] = code });
        Assert.That(done["type"]!.GetValue<string>(), Is.EqualTo("create_entry"), done.ToJsonString());
        var tokens = await _hub.Api.ExchangeCodeAsync(done["result"]!.GetValue<string>());
        Assert.That(await IsOwnerAsync(tokens), Is.True);
    }

    [Test]
    public async Task CorruptedStore_DbCheckThenDbRestore_OwnerLogsIn()
    {
        // A power cut mid-write: the service is down and auth.db lost its second half.
        await _hub.StopAsync();
        var snapshot = Directory.GetFiles(Path.Combine(_hub.DataDir, "snapshots")).Max()!;
        var file = Path.Combine(_hub.DataDir, "auth.db");
        await using (var stream = new FileStream(file, FileMode.Open)) stream.SetLength(stream.Length / 2);
        var bytes = await File.ReadAllBytesAsync(file);

        var check = await _hub.CliAsync("db", "check");
        Assert.That(check.ExitCode, Is.EqualTo(ExitCodes.Failed), check.ToString);
        Assert.That(check.Out, Does.Contain("The auth store is damaged").And.Contain($"pihub-cli db restore {Path.GetFileName(snapshot)}"));
        Assert.That(await File.ReadAllBytesAsync(file), Is.EqualTo(bytes), "db check must not touch the store");
        if (mode == HubMode.Running) await _hub.StartAsync(); // the service recovers by itself; restoring over it still works

        AssertOk(await _hub.CliAsync("db", "restore", Path.GetFileName(snapshot)));

        var tokens = await LoginAsync("owner", HubApi.OwnerPassword);
        Assert.That(await IsOwnerAsync(tokens), Is.True);
    }

    [Test]
    public async Task WhereAreTheCredentials_StatusPrintsThePaths_OwnerLogsIn()
    {
        await _hub.EnterAsync(mode);

        var run = await _hub.CliAsync("status");

        AssertOk(run);
        var credentials = Path.Combine(_hub.DataDir, "auth.db");
        Assert.That(run.Out, Does.Contain($"Credentials:  {credentials} (users, password hashes, tokens, MFA secrets: change them with pihub-cli, not by hand)"));
        Assert.That(run.Out, Does.Contain($"Data folder:  {_hub.DataDir}").And.Contain($"Config:       {_hub.ConfigFile}"));
        Assert.That(File.Exists(credentials), Is.True);
        var tokens = await LoginAsync("owner", HubApi.OwnerPassword);
        Assert.That(await IsOwnerAsync(tokens), Is.True);
    }

    private async Task<JsonNode> LoginAsync(string username, string password)
    {
        await _hub.StartAsync();
        return await _hub.LoginAsync(username, password);
    }

    /// <summary>The login flow's step after the password: "mfa", or "create_entry" when none is needed.</summary>
    private async Task<string> StartLoginAsync(string username, string password)
    {
        var flow = await _hub.Api.PostJsonAsync("auth/login_flow", new JsonObject { ["client_id"] = HubApi.ClientId, ["handler"] = new JsonArray("homeassistant", null), ["redirect_uri"] = HubApi.ClientId });
        var step = await _hub.Api.PostJsonAsync($"auth/login_flow/{flow["flow_id"]}", new JsonObject { ["client_id"] = HubApi.ClientId, ["username"] = username, ["password"] = password });
        return step["step_id"]?.GetValue<string>() ?? step["type"]!.GetValue<string>();
    }

    /// <summary>Asks the hub who the token belongs to (WebSocket auth/current_user).</summary>
    private async Task<bool> IsOwnerAsync(JsonNode tokens)
    {
        var (ws, _) = await WsClient.AuthenticateAsync(_hub.Api.WebSocketUri, tokens["access_token"]!.GetValue<string>());
        await using var _ = ws;
        var me = await ws.CallAsync("auth/current_user", new JsonObject());
        return me["result"]!["is_owner"]!.GetValue<bool>();
    }

    private static async Task WrongPasswordAsync(HttpClient client)
    {
        var flow = await JsonAsync(await client.PostAsync("auth/login_flow", HubApi.Json($$"""{"client_id":"{{HubApi.ClientId}}","handler":["homeassistant",null],"redirect_uri":"{{HubApi.ClientId}}"}""")));
        await client.PostAsync($"auth/login_flow/{flow["flow_id"]}", HubApi.Json($$"""{"client_id":"{{HubApi.ClientId}}","username":"owner","password":"wrong password"}"""));
    }

    private static async Task<JsonNode> JsonAsync(HttpResponseMessage response)
    {
        using (response) return await HubApi.JsonAsync(response);
    }

    private static void AssertOk(CliRun run) => Assert.That(run.ExitCode, Is.Zero, run.ToString);

}
