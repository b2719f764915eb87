using System.Net;
using System.Text.Json.Nodes;

namespace PiHub.Server.Tests.Auth;

public class AuthEndpointsTests
{
    private AuthTestServer _server = null!;

    [SetUp]
    public async Task SetUp() => _server = await AuthTestServer.StartAsync();

    [TearDown]
    public async Task TearDown() => await _server.DisposeAsync();

    [Test]
    public async Task FullFlow_OnboardLoginTokenRefreshRevoke_RefreshRefusedAfterRevoke()
    {
        // Onboarding returns a code that works like a login's.
        var onboardingCode = await _server.OnboardAsync();
        var first = await _server.TokenAsync(("grant_type", "authorization_code"), ("code", onboardingCode),
            ("client_id", AuthTestServer.ClientId));
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        // Login flow → code → tokens.
        var code = await _server.LoginAsync();
        var tokenResponse = await _server.TokenAsync(("grant_type", "authorization_code"), ("code", code),
            ("client_id", AuthTestServer.ClientId));
        var tokens = await AuthTestServer.ReadJsonAsync(tokenResponse);
        Assert.That(tokens["token_type"]!.GetValue<string>(), Is.EqualTo("Bearer"));
        Assert.That(tokens["expires_in"]!.GetValue<int>(), Is.EqualTo(1800));
        Assert.That(tokens["ha_auth_provider"]!.GetValue<string>(), Is.EqualTo("homeassistant"));
        var refresh = tokens["refresh_token"]!.GetValue<string>();
        Assert.That(await _server.WhoAmIAsync(tokens["access_token"]!.GetValue<string>()), Is.EqualTo(HttpStatusCode.OK));

        // Refresh → new access token, no new refresh token.
        var refreshed = await _server.TokenAsync(("grant_type", "refresh_token"), ("refresh_token", refresh),
            ("client_id", AuthTestServer.ClientId));
        var refreshedBody = await AuthTestServer.ReadJsonAsync(refreshed);
        Assert.That(refreshed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(refreshedBody.ContainsKey("refresh_token"), Is.False);
        var access = refreshedBody["access_token"]!.GetValue<string>();
        Assert.That(await _server.WhoAmIAsync(access), Is.EqualTo(HttpStatusCode.OK));

        // Revoke → refresh refused, access token dead at once.
        var revoke = await _server.Client.PostAsync("/auth/revoke",
            new FormUrlEncodedContent([new("token", refresh)]));
        Assert.That(revoke.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await _server.WhoAmIAsync(access), Is.EqualTo(HttpStatusCode.Unauthorized));
        var after = await _server.TokenAsync(("grant_type", "refresh_token"), ("refresh_token", refresh),
            ("client_id", AuthTestServer.ClientId));
        var afterBody = await AuthTestServer.ReadJsonAsync(after);
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(afterBody["error"]!.GetValue<string>(), Is.EqualTo("invalid_grant"));
        Assert.That(afterBody["error_description"]!.GetValue<string>(), Does.Contain("Log in again"));
    }

    [Test]
    public async Task GetProviders_BeforeOnboarding_400OnboardingRequired()
    {
        var response = await _server.Client.GetAsync("/auth/providers");
        var body = await AuthTestServer.ReadJsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body["code"]!.GetValue<string>(), Is.EqualTo("onboarding_required"));
        Assert.That(body["message"]!.GetValue<string>(), Does.StartWith("Onboarding not finished"));
    }

    [Test]
    public async Task GetProviders_AfterOnboarding_ListsHomeassistantWithNullId()
    {
        await _server.OnboardAsync();

        var response = await _server.Client.GetAsync("/auth/providers");
        var text = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(text, Is.EqualTo(
            "{\"providers\":[{\"name\":\"Home Assistant Local\",\"id\":null,\"type\":\"homeassistant\"}]," +
            "\"preselect_remember_me\":true}"));
    }

    [Test]
    public async Task GetOnboarding_BeforeAndAfter_UserStepDoneFlips()
    {
        var before = await _server.Client.GetStringAsync("/api/onboarding");
        await _server.OnboardAsync();
        var after = JsonNode.Parse(await _server.Client.GetStringAsync("/api/onboarding"))!.AsArray();

        Assert.That(before, Does.StartWith("[{\"step\":\"user\",\"done\":false}"));
        Assert.That(after[0]!["step"]!.GetValue<string>(), Is.EqualTo("user"));
        Assert.That(after[0]!["done"]!.GetValue<bool>(), Is.True);
        Assert.That(after.Select(s => s!["step"]!.GetValue<string>()),
            Is.EqualTo(new[] { "user", "core_config", "analytics", "integration" }));
    }

    [Test]
    public async Task PostOnboardingUsers_OwnerExists_403WithMessage()
    {
        await _server.OnboardAsync();

        var response = await _server.Client.PostAsync("/api/onboarding/users", AuthTestServer.Json(new JsonObject
        {
            ["client_id"] = AuthTestServer.ClientId,
            ["name"] = "Mallory",
            ["username"] = "mallory",
            ["password"] = "mallory's password",
            ["language"] = "en",
        }));
        var body = await AuthTestServer.ReadJsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(body["code"]!.GetValue<string>(), Is.EqualTo("user_exists"));
        Assert.That(body["message"]!.GetValue<string>(), Does.Contain("already done"));
        Assert.That(_server.Store.Current.Users, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task LoginFlow_StartForm_MatchesHomeAssistantShape()
    {
        await _server.OnboardAsync();

        var flow = await _server.StartFlowAsync();

        Assert.That(flow["type"]!.GetValue<string>(), Is.EqualTo("form"));
        Assert.That(flow["step_id"]!.GetValue<string>(), Is.EqualTo("init"));
        Assert.That(flow["handler"]!.ToJsonString(), Is.EqualTo("[\"homeassistant\",null]"));
        Assert.That(flow["errors"]!.ToJsonString(), Is.EqualTo("{}"));
        Assert.That(flow["data_schema"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()),
            Is.EqualTo(new[] { "username", "password" }));
        Assert.That(flow["data_schema"]![0]!["type"]!.GetValue<string>(), Is.EqualTo("string"));
    }

    [Test]
    public async Task LoginFlow_WrongPassword_200FormWithInvalidAuth()
    {
        await _server.OnboardAsync();
        var flow = await _server.StartFlowAsync();

        var response = await _server.StepAsync(flow["flow_id"]!.GetValue<string>(), "alice", "not the password");
        var body = await AuthTestServer.ReadJsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body["type"]!.GetValue<string>(), Is.EqualTo("form"));
        Assert.That(body["errors"]!["base"]!.GetValue<string>(), Is.EqualTo("invalid_auth"));
    }

    [Test]
    public async Task LoginFlow_UnknownFlow_404WithMessage()
    {
        await _server.OnboardAsync();

        var response = await _server.StepAsync("0123456789abcdef", "alice", AuthTestServer.OwnerPassword);
        var body = await AuthTestServer.ReadJsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(body["message"]!.GetValue<string>(), Does.StartWith("Invalid flow specified"));
    }

    [Test]
    public async Task LoginFlow_StepFromAnotherAddress_400IpChanged()
    {
        await _server.OnboardAsync();
        var flow = await _server.StartFlowAsync();
        using var other = _server.ClientFrom(IPAddress.Parse("127.0.0.2"));

        var response = await other.PostAsync($"/auth/login_flow/{flow["flow_id"]!.GetValue<string>()}",
            AuthTestServer.Json(new JsonObject
            {
                ["client_id"] = AuthTestServer.ClientId,
                ["username"] = "alice",
                ["password"] = AuthTestServer.OwnerPassword,
            }));
        var body = await AuthTestServer.ReadJsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body["message"]!.GetValue<string>(), Does.StartWith("IP address changed").And.Contain("127.0.0.2"));
    }

    [Test]
    public async Task Token_AnyAnswer_NoStoreAndNoCacheHeaders()
    {
        await _server.OnboardAsync();
        var ok = await _server.TokenAsync(("grant_type", "authorization_code"), ("code", await _server.LoginAsync()),
            ("client_id", AuthTestServer.ClientId));
        var bad = await _server.TokenAsync(("grant_type", "authorization_code"), ("code", "nope"),
            ("client_id", AuthTestServer.ClientId));

        foreach (var response in new[] { ok, bad })
        {
            Assert.That(response.Headers.CacheControl?.NoStore, Is.True);
            Assert.That(response.Headers.Pragma.ToString(), Is.EqualTo("no-cache"));
        }

        Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [TestCase("password", "unsupported_grant_type")]
    [TestCase("", "invalid_request")]
    public async Task Token_BadGrantType_400WithOAuthError(string grantType, string error)
    {
        var response = await _server.TokenAsync(("grant_type", grantType), ("client_id", AuthTestServer.ClientId));
        var body = await AuthTestServer.ReadJsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body["error"]!.GetValue<string>(), Is.EqualTo(error));
        Assert.That(body["error_description"]!.GetValue<string>(), Does.Contain("grant_type"));
    }

    [Test]
    public async Task Token_CodeUsedTwice_400InvalidGrant()
    {
        await _server.OnboardAsync();
        var code = await _server.LoginAsync();
        await _server.TokenAsync(("grant_type", "authorization_code"), ("code", code), ("client_id", AuthTestServer.ClientId));

        var again = await _server.TokenAsync(("grant_type", "authorization_code"), ("code", code),
            ("client_id", AuthTestServer.ClientId));

        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await AuthTestServer.ReadJsonAsync(again))["error"]!.GetValue<string>(), Is.EqualTo("invalid_grant"));
    }

    [Test]
    public async Task Token_CodeAfter10Minutes_400InvalidGrant()
    {
        await _server.OnboardAsync();
        var code = await _server.LoginAsync();
        _server.Time.Advance(TimeSpan.FromMinutes(11));

        var response = await _server.TokenAsync(("grant_type", "authorization_code"), ("code", code),
            ("client_id", AuthTestServer.ClientId));

        Assert.That((await AuthTestServer.ReadJsonAsync(response))["error"]!.GetValue<string>(), Is.EqualTo("invalid_grant"));
    }

    [Test]
    public async Task Token_RefreshWithOtherClientId_400InvalidRequest()
    {
        var tokens = await _server.LoginForTokensAsync();

        var response = await _server.TokenAsync(("grant_type", "refresh_token"),
            ("refresh_token", tokens["refresh_token"]!.GetValue<string>()), ("client_id", "http://evil.example/"));
        var body = await AuthTestServer.ReadJsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body["error"]!.GetValue<string>(), Is.EqualTo("invalid_request"));
    }

    [Test]
    public async Task Token_ActionRevoke_200AndRefreshRefused()
    {
        var tokens = await _server.LoginForTokensAsync();
        var refresh = tokens["refresh_token"]!.GetValue<string>();

        var revoke = await _server.TokenAsync(("action", "revoke"), ("token", refresh));
        var after = await _server.TokenAsync(("grant_type", "refresh_token"), ("refresh_token", refresh),
            ("client_id", AuthTestServer.ClientId));

        Assert.That(revoke.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task Revoke_UnknownOrMissingToken_200()
    {
        var unknown = await _server.Client.PostAsync("/auth/revoke", new FormUrlEncodedContent([new("token", "nope")]));
        var missing = await _server.Client.PostAsync("/auth/revoke", new FormUrlEncodedContent([]));

        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Token_StoreReadOnly_503WithReasonAndLoginStillAnswers()
    {
        await _server.OnboardAsync();
        var code = await _server.LoginAsync();
        _server.Store.EnterReadOnly("power failing");

        var response = await _server.TokenAsync(("grant_type", "authorization_code"), ("code", code),
            ("client_id", AuthTestServer.ClientId));
        var body = await AuthTestServer.ReadJsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(body["error"]!.GetValue<string>(), Is.EqualTo("store_unavailable"));
        Assert.That(body["error_description"]!.GetValue<string>(), Does.Contain("power failing").And.Contain("nothing was changed"));
    }

    [Test]
    public async Task Onboarding_StoreWriteFails_503ThenRetrySucceeds()
    {
        _server.Store.FailNextCommit = true;

        var failed = await _server.Client.PostAsync("/api/onboarding/users", AuthTestServer.Json(new JsonObject
        {
            ["client_id"] = AuthTestServer.ClientId,
            ["name"] = "Alice",
            ["username"] = "alice",
            ["password"] = AuthTestServer.OwnerPassword,
            ["language"] = "en",
        }));

        Assert.That(failed.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(_server.Manager.IsOnboarded, Is.False);
        await _server.OnboardAsync();
        Assert.That(_server.Manager.IsOnboarded, Is.True);
    }

    [Test]
    public async Task AccessToken_AfterExpiry_Refused()
    {
        var tokens = await _server.LoginForTokensAsync();
        var access = tokens["access_token"]!.GetValue<string>();
        Assert.That(await _server.WhoAmIAsync(access), Is.EqualTo(HttpStatusCode.OK));

        _server.Time.Advance(TimeSpan.FromMinutes(30));

        Assert.That(await _server.WhoAmIAsync(access), Is.EqualTo(HttpStatusCode.Unauthorized));
    }
}
