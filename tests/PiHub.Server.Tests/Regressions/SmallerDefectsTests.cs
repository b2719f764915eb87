using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Testing;

namespace PiHub.Server.Tests.Regressions;

/// <summary>
/// Issue 9, items 12–14: an oversized body announced by <c>Content-Length</c> answered an empty 413; multipart webhook
/// bodies had no cap on their parts (12,000 parts cost 1.7 s of CPU); deactivating a user closed their WebSockets
/// saying the refresh token was revoked; a non-string <c>access_token</c> was told there was no token.
/// </summary>
public class SmallerDefectsTests : OnboardedHubTests
{
    [Test]
    public async Task BodyFarOverTheLimitAnnounced_413Json()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(Hub.Api.BaseUri.Host, Hub.Api.BaseUri.Port);
        await using var stream = new NetworkStream(socket);
        var head = $"POST /api/states/sensor.big HTTP/1.1\r\nHost: {Hub.Api.BaseUri.Authority}\r\nAuthorization: Bearer {Hub.AccessToken}\r\n" +
                   "Content-Type: application/json\r\nContent-Length: 200000000\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(Encoding.ASCII.GetBytes("{\"state\":\"" + new string('x', 64 * 1024)));

        using var reader = new StreamReader(stream);
        var answer = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.That(answer, Does.StartWith("HTTP/1.1 413"));
        Assert.That(answer, Does.Contain("\"code\":\"payload_too_large\"").And.Contain("http.max_body_bytes"));
    }

    [Test]
    public async Task MultipartWebhookWithTooManyParts_413SayingSo()
    {
        var (ws, _) = await WsClient.AuthenticateAsync(Hub.WebSocketUri, Hub.AccessToken);
        await using var _ = ws;
        var created = await ws.CallAsync("pihub/webhook/create", new JsonObject { ["name"] = "Parts" });
        var url = created["result"]!["url"]!.GetValue<string>();
        using var form = new MultipartFormDataContent();
        for (var i = 0; i < 65; i++) form.Add(new StringContent("v"), $"field{i}");

        using var response = await Hub.Http.PostAsync(url.TrimStart('/'), form);
        var body = await TestHub.JsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(body["message"]!.GetValue<string>(), Does.Contain("more than 64 parts"));
    }

    [Test]
    public async Task MultipartWebhookWith64Parts_Accepted()
    {
        var (ws, _) = await WsClient.AuthenticateAsync(Hub.WebSocketUri, Hub.AccessToken);
        await using var _ = ws;
        var created = await ws.CallAsync("pihub/webhook/create", new JsonObject { ["name"] = "Parts" });
        var url = created["result"]!["url"]!.GetValue<string>();
        using var form = new MultipartFormDataContent();
        for (var i = 0; i < 64; i++) form.Add(new StringContent("v"), $"field{i}");

        using var response = await Hub.Http.PostAsync(url.TrimStart('/'), form);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task UserDeactivated_TheirWebSocketsCloseSayingSo()
    {
        var userId = await Hub.CreateUserAsync("Bob", "bob");
        var bobToken = (await Hub.Api.LoginAsync("bob", HubApi.OwnerPassword))["access_token"]!.GetValue<string>();
        var (bob, answer) = await WsClient.AuthenticateAsync(Hub.WebSocketUri, bobToken);
        await using var _ = bob;
        Assert.That(answer["type"]!.GetValue<string>(), Is.EqualTo("auth_ok"));
        var (owner, _) = await WsClient.AuthenticateAsync(Hub.WebSocketUri, Hub.AccessToken);
        await using var __ = owner;

        var update = await owner.CallAsync("config/auth/update", new JsonObject { ["user_id"] = userId, ["is_active"] = false });
        await bob.WaitForCloseAsync(TimeSpan.FromSeconds(10));

        Assert.That(update["success"]!.GetValue<bool>(), Is.True, update.ToJsonString());
        Assert.That(bob.CloseReason, Does.StartWith("User deactivated"));
    }

    [TestCase("12345", "a number")]
    [TestCase("{\"t\":1}", "an object")]
    public async Task NonStringAccessToken_SaysAStringWasExpected(string token, string kind)
    {
        await using var ws = await WsClient.ConnectAsync(Hub.WebSocketUri);
        await ws.ReceiveAsync();

        await ws.SendRawAsync($$"""{"type":"auth","access_token":{{token}}}""");
        var answer = await ws.ReceiveAsync();

        Assert.That(answer["type"]!.GetValue<string>(), Is.EqualTo("auth_invalid"));
        Assert.That(answer["message"]!.GetValue<string>(), Does.Contain("must be a string").And.Contain(kind));
    }
}
