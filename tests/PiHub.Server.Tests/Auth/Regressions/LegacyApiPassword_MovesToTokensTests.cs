using System.Net;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Testing;

namespace PiHub.Server.Tests.Auth.Regressions;

/// <summary>
/// Home Assistant 0.77: "When you remove password in http section, Legacy API password disappears", and Tasker
/// users could not see how to authenticate any more. PiHub never accepts an API password; REST (x-ha-access,
/// ?api_password=) and WebSocket (api_password) refuse it with the same advice: use a long-lived access token.
/// </summary>
public class LegacyApiPassword_MovesToTokensTests : OnboardedHubTests
{
    // Even an opted-in trusted network does not turn a legacy password into access.
    protected override Dictionary<string, string?> Settings() => HubSettings.TrustedNetwork("127.0.0.2/32", ["owner"], api: true);

    [Test]
    public async Task LegacyApiPassword_MovesToTokens_HeaderRefusedWithTokenAdvice()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/states");
        request.Headers.Add("x-ha-access", "my old password");

        var response = await Hub.Http.SendAsync(request);
        var body = await TestHub.JsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(body["message"]!.GetValue<string>(), Does.Contain("long-lived access token").And.Contain("Authorization: Bearer"));
    }

    [Test]
    public async Task LegacyApiPassword_MovesToTokens_QueryRefusedEvenFromOptedInNetwork()
    {
        using var client = Hub.ClientFrom("127.0.0.2");

        var response = await client.PostAsync("api/services/input_boolean/toggle?api_password=secret", TestHub.Json("""{"entity_id":"input_boolean.porch"}"""));
        var body = await TestHub.JsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(body["message"]!.GetValue<string>(), Does.Contain("long-lived access token"));
    }

    [Test]
    public async Task LegacyApiPassword_MovesToTokens_WebSocketRefusedWithTokenAdvice()
    {
        await using var ws = await WsClient.ConnectAsync(Hub.WebSocketUri);
        await ws.ReceiveAsync();

        await ws.SendAsync(new System.Text.Json.Nodes.JsonObject { ["type"] = "auth", ["api_password"] = "my old password" });
        var answer = await ws.ReceiveAsync();

        Assert.That(answer["type"]!.GetValue<string>(), Is.EqualTo("auth_invalid"));
        Assert.That(answer["message"]!.GetValue<string>(), Does.Contain("long-lived access token"));
    }
}
