using System.Net;
using System.Text.Json.Nodes;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Testing;

namespace PiHub.Server.Tests.Http;

/// <summary>
/// One REST error shape: every error is <c>{"message", "code"}</c> — unknown routes and wrong methods
/// included — with the code the WebSocket API gives the same failure. <c>/auth/token</c> keeps OAuth's shape.
/// </summary>
public class ErrorShapeTests
{
    private TestHub _hub = null!;
    private HttpClient _owner = null!;
    private HttpClient _member = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _hub = await TestHub.StartAsync(new Dictionary<string, string?> { ["http:max_body_bytes"] = "1024" });
        _owner = await _hub.OnboardAsync();
        var (ws, _) = await WsClient.AuthenticateAsync(_hub.WebSocketUri, _hub.AccessToken);
        await using (ws)
        {
            var created = await ws.CallAsync("config/auth/create", new JsonObject { ["name"] = "member" });
            var id = created["result"]!["user"]!["id"]!.GetValue<string>();
            await ws.CallAsync("config/auth_provider/homeassistant/create", new JsonObject { ["user_id"] = id, ["username"] = "member", ["password"] = HubApi.OwnerPassword });
        }

        _member = _hub.Client((await _hub.Api.LoginAsync("member", HubApi.OwnerPassword))["access_token"]!.GetValue<string>());
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _member.Dispose();
        _owner.Dispose();
        await _hub.DisposeAsync();
    }

    private static async Task<(HttpStatusCode Status, string Code, string Message)> ErrorAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"), $"{(int)response.StatusCode}: {text}");
        var body = JsonNode.Parse(text)!.AsObject();
        Assert.That(body.Select(p => p.Key), Is.SupersetOf(new[] { "message", "code" }), text);
        return (response.StatusCode, body["code"]!.GetValue<string>(), body["message"]!.GetValue<string>());
    }

    private async Task<string> WsErrorCodeAsync(string type, JsonObject fields)
    {
        var (ws, _) = await WsClient.AuthenticateAsync(_hub.WebSocketUri, _hub.AccessToken);
        await using (ws)
        {
            var answer = await ws.CallAsync(type, fields);
            Assert.That(answer["success"]!.GetValue<bool>(), Is.False, answer.ToJsonString());
            return answer["error"]!["code"]!.GetValue<string>();
        }
    }

    [Test]
    public async Task UnknownRoute_UnderApi_Json404SayingWhereTheApiIs()
    {
        var (status, code, message) = await ErrorAsync(await _owner.GetAsync("api/foo"));

        Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(code, Is.EqualTo("not_found"));
        Assert.That(message, Does.StartWith("No route GET /api/foo.").And.Contain("GET /api/"));
    }

    [Test]
    public async Task UnknownRoute_WithoutToken_Json404()
    {
        var (status, code, message) = await ErrorAsync(await _hub.Http.PostAsync("nothing/here", HubApi.Json("{}")));

        Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(code, Is.EqualTo("not_found"));
        Assert.That(message, Does.Contain("POST /nothing/here"));
    }

    [Test]
    public async Task WrongMethod_PutOnStates_Json405NamingAllowedMethod()
    {
        var response = await _owner.PutAsync("api/states", HubApi.Json("{}"));
        var (status, code, message) = await ErrorAsync(response);

        Assert.That(status, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
        Assert.That(code, Is.EqualTo("method_not_allowed"));
        Assert.That(response.Content.Headers.Allow, Is.EqualTo(new[] { "GET" }));
        Assert.That(message, Does.Contain("PUT").And.Contain("/api/states").And.Contain("GET"));
    }

    [Test]
    public async Task WrongMethod_GetOnWebhook_Json405()
    {
        var (status, code, _) = await ErrorAsync(await _hub.Http.GetAsync("api/webhook/some-id"));

        Assert.That(status, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
        Assert.That(code, Is.EqualTo("method_not_allowed"));
    }

    [Test]
    public async Task NoToken_401Unauthorized()
    {
        var (status, code, message) = await ErrorAsync(await _hub.Http.GetAsync("api/states"));

        Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(code, Is.EqualTo("unauthorized"));
        Assert.That(message, Does.Contain("Authorization: Bearer"));
    }

    [Test]
    public async Task NotAdmin_403WithTheWebSocketCode()
    {
        var rest = await ErrorAsync(await _member.PostAsync("api/events/shape", HubApi.Json("{}")));
        var (ws, _) = await WsClient.AuthenticateAsync(_hub.WebSocketUri, _member.DefaultRequestHeaders.Authorization!.Parameter);
        JsonNode answer;
        await using (ws)
        {
            answer = await ws.CallAsync("fire_event", new JsonObject { ["event_type"] = "shape" });
        }

        Assert.That(rest.Status, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(rest.Code, Is.EqualTo("unauthorized"));
        Assert.That(answer["error"]!["code"]!.GetValue<string>(), Is.EqualTo(rest.Code));
    }

    [Test]
    public async Task BadJson_400InvalidFormat()
    {
        var (status, code, message) = await ErrorAsync(await _owner.PostAsync("api/states/sensor.shape", HubApi.Json("{")));

        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(code, Is.EqualTo("invalid_format"));
        Assert.That(message, Does.StartWith("Invalid JSON"));
    }

    [Test]
    public async Task BodyOverLimit_413PayloadTooLarge()
    {
        var (status, code, message) = await ErrorAsync(await _owner.PostAsync("api/events/shape", HubApi.Json($$"""{"pad":"{{new string('x', 4096)}}"}""")));

        Assert.That(status, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(code, Is.EqualTo("payload_too_large"));
        Assert.That(message, Does.Contain("http.max_body_bytes"));
    }

    [Test]
    public async Task UnknownService_404WithTheWebSocketCode()
    {
        var rest = await ErrorAsync(await _owner.PostAsync("api/services/input_boolean/explode", HubApi.Json("{}")));
        var ws = await WsErrorCodeAsync("call_service", new JsonObject { ["domain"] = "input_boolean", ["service"] = "explode" });

        Assert.That(rest.Status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(rest.Code, Is.EqualTo("not_found"));
        Assert.That(ws, Is.EqualTo(rest.Code));
    }

    [Test]
    public async Task ServiceDataWrongType_400WithTheWebSocketCode()
    {
        var rest = await ErrorAsync(await _owner.PostAsync("api/services/persistent_notification/create", HubApi.Json("""{"message":42}""")));
        var ws = await WsErrorCodeAsync("call_service", new JsonObject
        {
            ["domain"] = "persistent_notification", ["service"] = "create", ["service_data"] = new JsonObject { ["message"] = 42 },
        });

        Assert.That(rest.Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(ws, Is.EqualTo(rest.Code));
    }

    [Test]
    public async Task ForwardedForFromUntrustedPeer_400UntrustedProxy()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/");
        request.Headers.Add("X-Forwarded-For", "192.168.1.50");

        var (status, code, message) = await ErrorAsync(await _owner.SendAsync(request));

        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(code, Is.EqualTo("untrusted_proxy"));
        Assert.That(message, Does.Contain("http.trusted_proxies"));
    }

    [Test]
    public async Task OnboardingAgain_403WithAuthCode()
    {
        var (status, code, _) = await ErrorAsync(await _hub.Http.PostAsync("api/onboarding/users", HubApi.Json(
            """{"client_id":"http://127.0.0.1/","name":"X","username":"x","password":"xxxxxxxxxx","language":"en"}""")));

        Assert.That(status, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(code, Is.EqualTo("user_exists"));
    }

    [Test]
    public async Task AuthToken_KeepsOAuthErrorShape()
    {
        var response = await _hub.Http.PostAsync("auth/token", HubApi.Form(("grant_type", "password")));
        var body = (await TestHub.JsonAsync(response)).AsObject();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body.Select(p => p.Key).Order(StringComparer.Ordinal), Is.EqualTo(new[] { "error", "error_description" }));
        Assert.That(body["error"]!.GetValue<string>(), Is.EqualTo("unsupported_grant_type"));
    }
}
