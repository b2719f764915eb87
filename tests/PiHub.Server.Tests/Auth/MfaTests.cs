using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using OtpNet;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Testing;

namespace PiHub.Server.Tests.Auth;

/// <summary>
/// TOTP through the real server: enrolment over the WebSocket (<c>auth/setup_mfa</c>), then logins over
/// HTTP with the <c>mfa</c> step. Codes are computed from the secret the set-up returned, as a phone would.
/// </summary>
public class MfaTests : OnboardedHubTests
{
    private FakeTimeProvider _time = null!;

    protected override TimeProvider CreateClock() => _time = new FakeTimeProvider(DateTimeOffset.UtcNow);

    private string Code(string secret, int offsetSeconds = 0) =>
        new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(_time.GetUtcNow().AddSeconds(offsetSeconds).UtcDateTime);

    private async Task<WsClient> ConnectAsync()
    {
        var (client, answer) = await WsClient.AuthenticateAsync(Hub.WebSocketUri, Hub.AccessToken);
        Assert.That(answer["type"]!.GetValue<string>(), Is.EqualTo("auth_ok"), answer.ToJsonString());
        return client;
    }

    /// <summary>Enrols the owner over the WebSocket; the clock then moves one step on so the next code is fresh.</summary>
    private async Task<(string Secret, string[] RecoveryCodes)> EnrolAsync(WsClient ws)
    {
        var form = (await ws.CallAsync("auth/setup_mfa", new JsonObject { ["mfa_module_id"] = "totp" }))["result"]!;
        var secret = form["description_placeholders"]!["code"]!.GetValue<string>();
        var done = (await ws.CallAsync("auth/setup_mfa", new JsonObject
        {
            ["flow_id"] = form["flow_id"]!.GetValue<string>(),
            ["user_input"] = new JsonObject { ["code"] = Code(secret) },
        }))["result"]!;
        Assert.That(done["type"]!.GetValue<string>(), Is.EqualTo("create_entry"), done.ToJsonString());
        _time.Advance(TimeSpan.FromSeconds(30));
        return (secret, [.. done["data"]!["recovery_codes"]!.AsArray().Select(c => c!.GetValue<string>())]);
    }

    /// <summary>Starts a login flow and answers the password step; returns the flow id and the answer.</summary>
    private static async Task<(string FlowId, JsonNode Answer)> PasswordStepAsync(HttpClient http,
        string username = "owner", string password = HubApi.OwnerPassword)
    {
        var flow = await PostAsync(http, "auth/login_flow", new JsonObject
        {
            ["client_id"] = HubApi.ClientId,
            ["handler"] = new JsonArray("homeassistant", null),
            ["redirect_uri"] = HubApi.ClientId,
        });
        var flowId = flow["flow_id"]!.GetValue<string>();
        var answer = await PostAsync(http, $"auth/login_flow/{flowId}", new JsonObject
        {
            ["client_id"] = HubApi.ClientId,
            ["username"] = username,
            ["password"] = password,
        });
        return (flowId, answer);
    }

    private static Task<JsonNode> CodeStepAsync(HttpClient http, string flowId, string code) =>
        PostAsync(http, $"auth/login_flow/{flowId}", new JsonObject { ["client_id"] = HubApi.ClientId, ["code"] = code });

    private static async Task<JsonNode> PostAsync(HttpClient http, string path, JsonNode body)
    {
        using var response = await http.PostAsync(path, HubApi.Json(body.ToJsonString()));
        var json = await HubApi.JsonAsync(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), json.ToJsonString());
        return json;
    }

    private async Task<JsonNode> LoginWithCodeAsync(string code)
    {
        var (flowId, _) = await PasswordStepAsync(Hub.Http);
        return await CodeStepAsync(Hub.Http, flowId, code);
    }

    private async Task<bool> TotpEnabledAsync(WsClient ws)
    {
        var me = (await ws.CallAsync("auth/current_user"))["result"]!;
        var totp = me["mfa_modules"]!.AsArray().Single(m => m!["id"]!.GetValue<string>() == "totp")!;
        return totp["enabled"]!.GetValue<bool>();
    }

    [Test]
    public async Task SetupMfa_Start_FormWithSecretUriAndSvgQrCode()
    {
        await using var ws = await ConnectAsync();

        var answer = await ws.CallAsync("auth/setup_mfa", new JsonObject { ["mfa_module_id"] = "totp" });

        var form = answer["result"]!;
        var placeholders = form["description_placeholders"]!;
        var secret = placeholders["code"]!.GetValue<string>();
        Assert.That(answer["success"]!.GetValue<bool>(), Is.True, answer.ToJsonString());
        Assert.That(form["type"]!.GetValue<string>(), Is.EqualTo("form"));
        Assert.That(form["step_id"]!.GetValue<string>(), Is.EqualTo("init"));
        Assert.That(form["flow_id"]!.GetValue<string>(), Is.Not.Empty);
        Assert.That(form["data_schema"]!.ToJsonString(), Is.EqualTo("""[{"name":"code","type":"string"}]"""));
        Assert.That(form["errors"]!.AsObject(), Is.Empty);
        Assert.That(placeholders["url"]!.GetValue<string>(), Is.EqualTo($"otpauth://totp/PiHub%3Aowner?secret={secret}&issuer=PiHub"));
        Assert.That(placeholders["qr_code"]!.GetValue<string>(), Does.Contain("<svg").And.Contain("viewBox"));
        Assert.That(await TotpEnabledAsync(ws), Is.False, "not enabled until a code is proven");
    }

    [Test]
    public async Task SetupMfa_WrongCode_FormAgainWithInvalidCodeAndNotEnabled()
    {
        await using var ws = await ConnectAsync();
        var form = (await ws.CallAsync("auth/setup_mfa", new JsonObject { ["mfa_module_id"] = "totp" }))["result"]!;
        var secret = form["description_placeholders"]!["code"]!.GetValue<string>();

        var again = (await ws.CallAsync("auth/setup_mfa", new JsonObject
        {
            ["flow_id"] = form["flow_id"]!.GetValue<string>(),
            ["user_input"] = new JsonObject { ["code"] = Code(secret, offsetSeconds: 600) },
        }))["result"]!;

        Assert.That(again["type"]!.GetValue<string>(), Is.EqualTo("form"));
        Assert.That(again["errors"]!["base"]!.GetValue<string>(), Is.EqualTo("invalid_code"));
        Assert.That(await TotpEnabledAsync(ws), Is.False);
    }

    [Test]
    public async Task LoginFlow_AfterEnrolment_PasswordThenMfaThenCreateEntry()
    {
        await using var ws = await ConnectAsync();
        var (secret, recovery) = await EnrolAsync(ws);

        var (flowId, mfaForm) = await PasswordStepAsync(Hub.Http);
        var done = await CodeStepAsync(Hub.Http, flowId, Code(secret));
        var tokens = await Hub.Api.ExchangeCodeAsync(done["result"]!.GetValue<string>());

        Assert.That(recovery, Has.Length.EqualTo(10));
        Assert.That(await TotpEnabledAsync(ws), Is.True);
        Assert.That(mfaForm["type"]!.GetValue<string>(), Is.EqualTo("form"));
        Assert.That(mfaForm["step_id"]!.GetValue<string>(), Is.EqualTo("mfa"));
        Assert.That(mfaForm["data_schema"]!.AsArray().Select(f => $"{f!["name"]}:{f["type"]}"), Is.EqualTo(new[] { "code:string" }));
        Assert.That(mfaForm["errors"]!.AsObject(), Is.Empty);
        Assert.That(mfaForm["result"], Is.Null);
        Assert.That(done["type"]!.GetValue<string>(), Is.EqualTo("create_entry"), done.ToJsonString());
        Assert.That(tokens["access_token"]!.GetValue<string>(), Is.Not.Empty);
    }

    [Test]
    public async Task LoginFlow_TotpReplayed_SecondUseRefusedWithInvalidCode()
    {
        await using var ws = await ConnectAsync();
        var (secret, _) = await EnrolAsync(ws);
        var code = Code(secret);

        var first = await LoginWithCodeAsync(code);
        var replay = await LoginWithCodeAsync(code);
        _time.Advance(TimeSpan.FromSeconds(30));
        var next = await LoginWithCodeAsync(Code(secret));

        Assert.That(first["type"]!.GetValue<string>(), Is.EqualTo("create_entry"));
        Assert.That(replay["type"]!.GetValue<string>(), Is.EqualTo("form"));
        Assert.That(replay["errors"]!["base"]!.GetValue<string>(), Is.EqualTo("invalid_code"));
        Assert.That(next["type"]!.GetValue<string>(), Is.EqualTo("create_entry"), "the next time step works");
    }

    [Test]
    public async Task LoginFlow_RecoveryCode_WorksOnce()
    {
        await using var ws = await ConnectAsync();
        var (_, recovery) = await EnrolAsync(ws);

        var first = await LoginWithCodeAsync(recovery[0]);
        var again = await LoginWithCodeAsync(recovery[0]);

        Assert.That(first["type"]!.GetValue<string>(), Is.EqualTo("create_entry"));
        Assert.That(again["errors"]!["base"]!.GetValue<string>(), Is.EqualTo("invalid_code"));
    }

    [Test]
    public async Task LoginFlow_FiveWrongCodesFromOtherAddress_AbortThenBanned()
    {
        await using var ws = await ConnectAsync();
        await EnrolAsync(ws);
        using var attacker = Hub.ClientFrom("127.0.0.2"); // not on the ban allow-list
        var (flowId, _) = await PasswordStepAsync(attacker);

        var answers = new List<JsonNode>();
        for (var i = 0; i < 5; i++) answers.Add(await CodeStepAsync(attacker, flowId, "000000"));
        using var banned = await attacker.GetAsync("auth/providers");

        Assert.That(answers.Take(4).Select(a => a["errors"]!["base"]!.GetValue<string>()), Is.All.EqualTo("invalid_code"));
        Assert.That(answers[4]["type"]!.GetValue<string>(), Is.EqualTo("abort"));
        Assert.That(answers[4]["reason"]!.GetValue<string>(), Is.EqualTo("too_many_retry"));
        Assert.That(answers[4]["message"]!.GetValue<string>(), Does.Contain("Start a new login"));
        Assert.That(banned.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "wrong MFA codes count as failed logins");
    }

    [Test]
    public async Task DeposeMfa_WrongPasswordThenRight_RefusedThenDisabledAndLoginSkipsMfa()
    {
        await using var ws = await ConnectAsync();
        var (secret, _) = await EnrolAsync(ws);

        var refused = await ws.CallAsync("auth/depose_mfa", new JsonObject
        {
            ["mfa_module_id"] = "totp", ["password"] = "not the password", ["code"] = Code(secret),
        });
        var done = await ws.CallAsync("auth/depose_mfa", new JsonObject
        {
            ["mfa_module_id"] = "totp", ["password"] = HubApi.OwnerPassword, ["code"] = Code(secret),
        });
        var (_, login) = await PasswordStepAsync(Hub.Http);

        Assert.That(refused["success"]!.GetValue<bool>(), Is.False);
        Assert.That(refused["error"]!["code"]!.GetValue<string>(), Is.EqualTo("invalid_auth"));
        Assert.That(refused["error"]!["message"]!.GetValue<string>(), Does.Contain("password"));
        Assert.That(done["result"]!.GetValue<string>(), Is.EqualTo("done"), done.ToJsonString());
        Assert.That(await TotpEnabledAsync(ws), Is.False);
        Assert.That(login["type"]!.GetValue<string>(), Is.EqualTo("create_entry"));
    }

    [Test]
    public async Task RecoveryCodes_Regenerated_OldRefusedNewAccepted()
    {
        await using var ws = await ConnectAsync();
        var (secret, old) = await EnrolAsync(ws);

        var answer = await ws.CallAsync("pihub/mfa/recovery_codes", new JsonObject
        {
            ["password"] = HubApi.OwnerPassword, ["code"] = Code(secret),
        });
        var fresh = answer["result"]!["recovery_codes"]!.AsArray().Select(c => c!.GetValue<string>()).ToArray();
        var oldLogin = await LoginWithCodeAsync(old[1]);
        var newLogin = await LoginWithCodeAsync(fresh[1]);

        Assert.That(fresh, Has.Length.EqualTo(10));
        Assert.That(oldLogin["errors"]!["base"]!.GetValue<string>(), Is.EqualTo("invalid_code"));
        Assert.That(newLogin["type"]!.GetValue<string>(), Is.EqualTo("create_entry"));
    }

    [Test]
    public async Task MfaReset_AdminResetsOtherUser_TheirLoginSkipsMfa()
    {
        await using var owner = await ConnectAsync();
        var bobId = (await owner.CallAsync("config/auth/create", new JsonObject
        {
            ["name"] = "Bob", ["group_ids"] = new JsonArray("system-users"),
        }))["result"]!["user"]!["id"]!.GetValue<string>();
        await owner.CallAsync("config/auth_provider/homeassistant/create", new JsonObject
        {
            ["user_id"] = bobId, ["username"] = "bob", ["password"] = "bob's long password",
        });
        var bobTokens = await Hub.Api.LoginAsync("bob", "bob's long password");
        var (bob, _) = await WsClient.AuthenticateAsync(Hub.WebSocketUri, bobTokens["access_token"]!.GetValue<string>());
        await using var _ = bob;
        await EnrolAsync(bob);
        var (_, before) = await PasswordStepAsync(Hub.Http, "bob", "bob's long password");

        var answer = await owner.CallAsync("pihub/mfa/reset", new JsonObject { ["user_id"] = bobId });
        var (_, after) = await PasswordStepAsync(Hub.Http, "bob", "bob's long password");

        Assert.That(before["step_id"]!.GetValue<string>(), Is.EqualTo("mfa"));
        Assert.That(answer["result"]!["removed"]!.GetValue<bool>(), Is.True, answer.ToJsonString());
        Assert.That(await TotpEnabledAsync(bob), Is.False);
        Assert.That(after["type"]!.GetValue<string>(), Is.EqualTo("create_entry"));
    }

    [Test]
    public async Task MfaReset_OwnAccount_RefusedWithHowToDisable()
    {
        await using var ws = await ConnectAsync();
        await EnrolAsync(ws);
        var ownerId = (await ws.CallAsync("auth/current_user"))["result"]!["id"]!.GetValue<string>();

        var answer = await ws.CallAsync("pihub/mfa/reset", new JsonObject { ["user_id"] = ownerId });

        Assert.That(answer["success"]!.GetValue<bool>(), Is.False);
        Assert.That(answer["error"]!["code"]!.GetValue<string>(), Is.EqualTo("unauthorized"));
        Assert.That(answer["error"]!["message"]!.GetValue<string>(), Does.Contain("auth/depose_mfa"));
        Assert.That(await TotpEnabledAsync(ws), Is.True);
    }
}
