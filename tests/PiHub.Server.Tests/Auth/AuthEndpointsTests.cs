using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using PiHub.Core.Auth.Storage;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Testing;

namespace PiHub.Server.Tests.Auth;

/// <summary>Onboarding, login flows, tokens and revocation over HTTP, on a fresh hub (not yet onboarded) per test.</summary>
public class AuthEndpointsTests
{
    private FakeTimeProvider _time = null!;
    private TestHub _hub = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        _hub = await TestHub.StartAsync(time: _time);
    }

    [TearDown]
    public Task StopAsync() => _hub.DisposeAsync().AsTask();

    private HttpClient Http => _hub.Http;

    private Task<string> OnboardAsync() => PasswordFlow.OnboardAsync(Http);

    private Task<string> LoginAsync() => PasswordFlow.LoginAsync(Http);

    private Task<HttpResponseMessage> TokenAsync(params (string Key, string Value)[] fields) => PasswordFlow.TokenAsync(Http, fields);

    private Task<HttpStatusCode> ApiStatusAsync(string accessToken) => PasswordFlow.ApiStatusAsync(Http, accessToken);

    /// <summary>Onboards, logs in and exchanges the code: the token response.</summary>
    private async Task<JsonNode> LoginForTokensAsync()
    {
        await OnboardAsync();
        return await _hub.Api.LoginAsync("owner", HubApi.OwnerPassword);
    }

    [Test]
    public async Task FullFlow_OnboardLoginTokenRefreshRevoke_RefreshRefusedAfterRevoke()
    {
        // Onboarding returns a code that works like a login's.
        var onboardingCode = await OnboardAsync();
        var first = await TokenAsync(("grant_type", "authorization_code"), ("code", onboardingCode),
            ("client_id", HubApi.ClientId));
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        // Login flow → code → tokens.
        var code = await LoginAsync();
        var tokenResponse = await TokenAsync(("grant_type", "authorization_code"), ("code", code),
            ("client_id", HubApi.ClientId));
        var tokens = await PasswordFlow.ReadJsonAsync(tokenResponse);
        Assert.That(tokens["token_type"]!.GetValue<string>(), Is.EqualTo("Bearer"));
        Assert.That(tokens["expires_in"]!.GetValue<int>(), Is.EqualTo(1800));
        Assert.That(tokens["ha_auth_provider"]!.GetValue<string>(), Is.EqualTo("homeassistant"));
        var refresh = tokens["refresh_token"]!.GetValue<string>();
        Assert.That(await ApiStatusAsync(tokens["access_token"]!.GetValue<string>()), Is.EqualTo(HttpStatusCode.OK));

        // Refresh → new access token, no new refresh token.
        var refreshed = await TokenAsync(("grant_type", "refresh_token"), ("refresh_token", refresh),
            ("client_id", HubApi.ClientId));
        var refreshedBody = await PasswordFlow.ReadJsonAsync(refreshed);
        Assert.That(refreshed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(refreshedBody.ContainsKey("refresh_token"), Is.False);
        var access = refreshedBody["access_token"]!.GetValue<string>();
        Assert.That(await ApiStatusAsync(access), Is.EqualTo(HttpStatusCode.OK));

        // Revoke → refresh refused, access token dead at once.
        var revoke = await Http.PostAsync("/auth/revoke",
            new FormUrlEncodedContent([new("token", refresh)]));
        Assert.That(revoke.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await ApiStatusAsync(access), Is.EqualTo(HttpStatusCode.Unauthorized));
        var after = await TokenAsync(("grant_type", "refresh_token"), ("refresh_token", refresh),
            ("client_id", HubApi.ClientId));
        var afterBody = await PasswordFlow.ReadJsonAsync(after);
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(afterBody["error"]!.GetValue<string>(), Is.EqualTo("invalid_grant"));
        Assert.That(afterBody["error_description"]!.GetValue<string>(), Does.Contain("Log in again"));
    }

    [Test]
    public async Task GetProviders_BeforeOnboarding_400OnboardingRequired()
    {
        var response = await Http.GetAsync("/auth/providers");
        var body = await PasswordFlow.ReadJsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body["code"]!.GetValue<string>(), Is.EqualTo("onboarding_required"));
        Assert.That(body["message"]!.GetValue<string>(), Does.StartWith("Onboarding not finished"));
    }

    [Test]
    public async Task GetProviders_AfterOnboarding_ListsHomeassistantWithNullId()
    {
        await OnboardAsync();

        var response = await Http.GetAsync("/auth/providers");
        var text = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(text, Is.EqualTo(
            "{\"providers\":[{\"name\":\"Home Assistant Local\",\"id\":null,\"type\":\"homeassistant\"}]," +
            "\"preselect_remember_me\":true}"));
    }

    [Test]
    public async Task GetOnboarding_BeforeAndAfter_UserStepDoneFlips()
    {
        var before = await Http.GetStringAsync("/api/onboarding");
        await OnboardAsync();
        var after = JsonNode.Parse(await Http.GetStringAsync("/api/onboarding"))!.AsArray();

        Assert.That(before, Does.StartWith("[{\"step\":\"user\",\"done\":false,\"recovery_code_required\":false}"));
        Assert.That(after[0]!["step"]!.GetValue<string>(), Is.EqualTo("user"));
        Assert.That(after[0]!["done"]!.GetValue<bool>(), Is.True);
        Assert.That(after.Select(s => s!["step"]!.GetValue<string>()),
            Is.EqualTo(new[] { "user", "core_config", "analytics", "integration" }));
    }

    [Test]
    public async Task PostOnboardingUsers_OwnerExists_403WithMessage()
    {
        await OnboardAsync();

        var response = await Http.PostAsync("/api/onboarding/users", PasswordFlow.Json(new JsonObject
        {
            ["client_id"] = HubApi.ClientId,
            ["name"] = "Mallory",
            ["username"] = "mallory",
            ["password"] = "mallory's password",
            ["language"] = "en",
        }));
        var body = await PasswordFlow.ReadJsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(body["code"]!.GetValue<string>(), Is.EqualTo("user_exists"));
        Assert.That(body["message"]!.GetValue<string>(), Does.Contain("already done"));
        Assert.That(_hub.Service<IAuthStore>().Current.Users, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task LoginFlow_StartForm_MatchesHomeAssistantShape()
    {
        await OnboardAsync();

        var flow = await PasswordFlow.StartAsync(Http);

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
        await OnboardAsync();
        var flow = await PasswordFlow.StartAsync(Http);

        var response = await PasswordFlow.StepAsync(Http, flow["flow_id"]!.GetValue<string>(), "owner", "not the password");
        var body = await PasswordFlow.ReadJsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body["type"]!.GetValue<string>(), Is.EqualTo("form"));
        Assert.That(body["errors"]!["base"]!.GetValue<string>(), Is.EqualTo("invalid_auth"));
    }

    [Test]
    public async Task LoginFlow_UnknownFlow_404WithMessage()
    {
        await OnboardAsync();

        var response = await PasswordFlow.StepAsync(Http, "0123456789abcdef", "owner", HubApi.OwnerPassword);
        var body = await PasswordFlow.ReadJsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(body["message"]!.GetValue<string>(), Does.StartWith("Invalid flow specified"));
    }

    [Test]
    public async Task LoginFlow_StepFromAnotherAddress_400IpChanged()
    {
        await OnboardAsync();
        var flow = await PasswordFlow.StartAsync(Http);
        using var other = _hub.ClientFrom("127.0.0.2");

        var response = await other.PostAsync($"/auth/login_flow/{flow["flow_id"]!.GetValue<string>()}",
            PasswordFlow.Json(new JsonObject
            {
                ["client_id"] = HubApi.ClientId,
                ["username"] = "owner",
                ["password"] = HubApi.OwnerPassword,
            }));
        var body = await PasswordFlow.ReadJsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body["message"]!.GetValue<string>(), Does.StartWith("IP address changed").And.Contain("127.0.0.2"));
    }

    [Test]
    public async Task Token_AnyAnswer_NoStoreAndNoCacheHeaders()
    {
        await OnboardAsync();
        var ok = await TokenAsync(("grant_type", "authorization_code"), ("code", await LoginAsync()),
            ("client_id", HubApi.ClientId));
        var bad = await TokenAsync(("grant_type", "authorization_code"), ("code", "nope"),
            ("client_id", HubApi.ClientId));

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
        var response = await TokenAsync(("grant_type", grantType), ("client_id", HubApi.ClientId));
        var body = await PasswordFlow.ReadJsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body["error"]!.GetValue<string>(), Is.EqualTo(error));
        Assert.That(body["error_description"]!.GetValue<string>(), Does.Contain("grant_type"));
    }

    [Test]
    public async Task Token_CodeUsedTwice_400InvalidGrant()
    {
        await OnboardAsync();
        var code = await LoginAsync();
        await TokenAsync(("grant_type", "authorization_code"), ("code", code), ("client_id", HubApi.ClientId));

        var again = await TokenAsync(("grant_type", "authorization_code"), ("code", code),
            ("client_id", HubApi.ClientId));

        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await PasswordFlow.ReadJsonAsync(again))["error"]!.GetValue<string>(), Is.EqualTo("invalid_grant"));
    }

    [Test]
    public async Task Token_CodeAfter10Minutes_400InvalidGrant()
    {
        await OnboardAsync();
        var code = await LoginAsync();
        _time.Advance(TimeSpan.FromMinutes(11));

        var response = await TokenAsync(("grant_type", "authorization_code"), ("code", code),
            ("client_id", HubApi.ClientId));

        Assert.That((await PasswordFlow.ReadJsonAsync(response))["error"]!.GetValue<string>(), Is.EqualTo("invalid_grant"));
    }

    [Test]
    public async Task Token_RefreshWithOtherClientId_400InvalidRequest()
    {
        var tokens = await LoginForTokensAsync();

        var response = await TokenAsync(("grant_type", "refresh_token"),
            ("refresh_token", tokens["refresh_token"]!.GetValue<string>()), ("client_id", "http://evil.example/"));
        var body = await PasswordFlow.ReadJsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body["error"]!.GetValue<string>(), Is.EqualTo("invalid_request"));
    }

    [Test]
    public async Task Token_ActionRevoke_200AndRefreshRefused()
    {
        var tokens = await LoginForTokensAsync();
        var refresh = tokens["refresh_token"]!.GetValue<string>();

        var revoke = await TokenAsync(("action", "revoke"), ("token", refresh));
        var after = await TokenAsync(("grant_type", "refresh_token"), ("refresh_token", refresh),
            ("client_id", HubApi.ClientId));

        Assert.That(revoke.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task Revoke_UnknownOrMissingToken_200()
    {
        var unknown = await Http.PostAsync("/auth/revoke", new FormUrlEncodedContent([new("token", "nope")]));
        var missing = await Http.PostAsync("/auth/revoke", new FormUrlEncodedContent([]));

        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task AccessToken_AfterExpiry_Refused()
    {
        var tokens = await LoginForTokensAsync();
        var access = tokens["access_token"]!.GetValue<string>();
        Assert.That(await ApiStatusAsync(access), Is.EqualTo(HttpStatusCode.OK));

        _time.Advance(TimeSpan.FromMinutes(30));

        Assert.That(await ApiStatusAsync(access), Is.EqualTo(HttpStatusCode.Unauthorized));
    }
}
