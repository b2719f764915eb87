using System.Net;
using System.Text;
using PiHub.Server.Tests.Infrastructure;

namespace PiHub.Server.Tests.Auth;

/// <summary>Broken, oversized and mistyped auth requests: a 400/413 with a message, never a crash.</summary>
public class MalformedAuthRequestTests() : OnboardedHubTests(HubLifetime.PerFixture)
{

    [TestCase("/auth/login_flow", "not json")]
    [TestCase("/auth/login_flow", "")]
    [TestCase("/auth/login_flow", "null")]
    [TestCase("/auth/login_flow", "[1,2,3]")]
    [TestCase("/auth/login_flow", "{\"client_id\":5}")]
    [TestCase("/auth/login_flow", "{\"client_id\":\"http://127.0.0.1:8123/\",\"handler\":\"homeassistant\"}")]
    [TestCase("/auth/login_flow", "{\"client_id\":\"http://127.0.0.1:8123/\"}")]
    [TestCase("/auth/login_flow", "{\"handler\":[\"homeassistant\",null]}")]
    [TestCase("/auth/login_flow/abc", "{\"client_id\":")]
    [TestCase("/auth/login_flow/abc", "{\"username\":\"alice\"}")]
    [TestCase("/auth/login_flow/abc", "{\"client_id\":\"x\",\"username\":{\"nested\":true}}")]
    public async Task JsonEndpoint_MalformedBody_400WithMessage(string path, string body)
    {
        var response = await Hub.Http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        var json = await PasswordFlow.ReadJsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(json["message"]!.GetValue<string>(), Has.Length.GreaterThan(20));
        Assert.That(json["message"]!.GetValue<string>(), Does.Not.Contain("Something went wrong"));
    }

    [TestCase("{oops}")]
    [TestCase("")]
    [TestCase("{\"client_id\":\"http://127.0.0.1:8123/\",\"name\":7}")]
    public async Task OnboardingUsers_MalformedBodyBeforeOnboarding_400WithMessage(string body)
    {
        await using var fresh = await TestHub.StartAsync();

        var response = await fresh.Http.PostAsync("/api/onboarding/users", new StringContent(body, Encoding.UTF8, "application/json"));
        var json = await PasswordFlow.ReadJsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(json["message"]!.GetValue<string>(), Does.StartWith("Invalid JSON"));
        Assert.That(await PasswordFlow.IsOnboardedAsync(fresh.Http), Is.False);
    }

    [Test]
    public async Task OnboardingUsers_MissingPasswordBeforeOnboarding_400NamesTheField()
    {
        await using var fresh = await TestHub.StartAsync();

        var response = await fresh.Http.PostAsync("/api/onboarding/users", new StringContent(
            "{\"client_id\":\"http://127.0.0.1:8123/\",\"name\":\"A\",\"username\":\"a\"}", Encoding.UTF8, "application/json"));
        var json = await PasswordFlow.ReadJsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(json["message"]!.GetValue<string>(), Does.Contain("\"password\" is required"));
    }

    [Test]
    public async Task OnboardingUsers_ShortPassword_400InvalidFormat()
    {
        await using var fresh = await TestHub.StartAsync();

        var response = await fresh.Http.PostAsync("/api/onboarding/users", new StringContent(
            "{\"client_id\":\"http://127.0.0.1:8123/\",\"name\":\"A\",\"username\":\"a\",\"password\":\"short\",\"language\":\"en\"}",
            Encoding.UTF8, "application/json"));
        var json = await PasswordFlow.ReadJsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(json["code"]!.GetValue<string>(), Is.EqualTo("invalid_format"));
        Assert.That(json["message"]!.GetValue<string>(), Does.Contain("at least 8"));
    }

    [Test]
    public async Task Token_TextPlainBody_400ExplainsFormEncoding()
    {
        var response = await Hub.Http.PostAsync("/auth/token",
            new StringContent("grant_type=refresh_token", Encoding.UTF8, "text/plain"));
        var json = await PasswordFlow.ReadJsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(json["error"]!.GetValue<string>(), Is.EqualTo("invalid_request"));
        Assert.That(json["error_description"]!.GetValue<string>(), Does.Contain("application/x-www-form-urlencoded"));
    }

    [TestCase("[1]")]
    [TestCase("{\"grant_type\":")]
    [TestCase("{\"grant_type\":[\"refresh_token\"]}")]
    public async Task Token_BadJsonBody_400InvalidRequest(string body)
    {
        var response = await Hub.Http.PostAsync("/auth/token", new StringContent(body, Encoding.UTF8, "application/json"));
        var json = await PasswordFlow.ReadJsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(json["error"]!.GetValue<string>(), Is.EqualTo("invalid_request"));
    }

    [Test]
    public async Task Token_MissingClientId_400InvalidRequest()
    {
        var response = await PasswordFlow.TokenAsync(Hub.Http, ("grant_type", "authorization_code"), ("code", "abc"));
        var json = await PasswordFlow.ReadJsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(json["error"]!.GetValue<string>(), Is.EqualTo("invalid_request"));
        Assert.That(json["error_description"]!.GetValue<string>(), Does.Contain("client_id"));
    }

    [TestCase("/auth/login_flow")]
    [TestCase("/auth/token")]
    [TestCase("/api/onboarding/users")]
    public async Task AnyAuthEndpoint_HugeBody_413WithMessage(string path)
    {
        var huge = "{\"client_id\":\"" + new string('a', 200_000) + "\"}";

        var response = await Hub.Http.PostAsync(path, new StringContent(huge, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();

        Assert.That((int)response.StatusCode, Is.EqualTo(413).Or.EqualTo(403), text);
        Assert.That(text, Does.Contain("bytes").Or.Contain("already done"));
    }

    [Test]
    public async Task LoginFlow_ChunkedHugeBody_413NotCrash()
    {
        var huge = "{\"client_id\":\"" + new string('a', 200_000) + "\"}";
        using var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(huge)));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/auth/login_flow") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = await Hub.Http.SendAsync(request);

        Assert.That((int)response.StatusCode, Is.EqualTo(413), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Token_UnsupportedGrant_MessageReadableWithoutUnicodeEscapes()
    {
        var response = await PasswordFlow.TokenAsync(Hub.Http, ("grant_type", "password"));
        var text = await response.Content.ReadAsStringAsync();

        Assert.That(text, Does.Contain("Unsupported grant_type \\\"password\\\""));
        Assert.That(text, Does.Not.Contain("\\u0022"));
    }

    [Test]
    public async Task LoginFlow_UnknownHandler_404WithMessage()
    {
        var response = await Hub.Http.PostAsync("/auth/login_flow", new StringContent(
            "{\"client_id\":\"http://127.0.0.1:8123/\",\"handler\":[\"legacy_api_password\",null]}", Encoding.UTF8, "application/json"));
        var json = await PasswordFlow.ReadJsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(json["message"]!.GetValue<string>(), Does.Contain("/auth/providers"));
    }
}
