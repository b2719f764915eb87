using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using PiHub.Core.Hub;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Testing;

namespace PiHub.Server.Tests.Regressions;

/// <summary>
/// Issue 9, item 4: <c>POST /api/states/sensor.x</c> with an attribute holding a lone surrogate (<c>\ud800</c>) answered
/// 500 but stored the state, after which <c>GET /api/states</c> answered 500 for everyone and <c>get_states</c> closed
/// every WebSocket; invalid UTF-8 and webhook bodies with <c>\ud800</c> gave 500 too. Every write path now refuses
/// such text with 400 (or a WebSocket error) naming the field, and stores or fires nothing.
/// </summary>
public class InvalidTextBreaksStateApiTests() : OnboardedHubTests(HubLifetime.PerFixture)
{
    private const string LoneSurrogateAttributes = """{"state":"1","attributes":{"a":"\ud800"}}""";

    [Test]
    public async Task SetStateWithLoneSurrogate_400NamingTheFieldAndStatesStillServed()
    {
        using var response = await Owner.PostAsync("api/states/sensor.surrogate", TestHub.Json(LoneSurrogateAttributes));
        var body = await TestHub.JsonAsync(response);
        using var states = await Owner.GetAsync("api/states");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body["code"]!.GetValue<string>(), Is.EqualTo("invalid_format"));
        Assert.That(body["message"]!.GetValue<string>(), Does.Contain("\"attributes.a\"").And.Contain("nothing was stored"));
        Assert.That(Hub.Service<HubCore>().States.Get("sensor.surrogate"), Is.Null);
        Assert.That(states.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task SetStateWithInvalidUtf8_400NamingTheField()
    {
        var bytes = Encoding.ASCII.GetBytes("""{"state":"AB"}""");
        bytes[10] = 0xC3; // a lead byte followed by 'B': not UTF-8
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await Owner.PostAsync("api/states/sensor.utf8", content);
        var body = await TestHub.JsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body["message"]!.GetValue<string>(), Does.Contain("\"state\""));
        Assert.That(Hub.Service<HubCore>().States.Get("sensor.utf8"), Is.Null);
    }

    [TestCase("api/events/surrogate_event", """{"x":"\udfff"}""", "x")]
    [TestCase("api/services/persistent_notification/create", """{"message":"hi \ud83d"}""", "message")]
    [TestCase("api/states/sensor.named", """{"state":"1","attributes":{"\ud800":1}}""", "attributes (a property name)")]
    public async Task OtherRestWrites_400NamingTheField(string path, string json, string field)
    {
        using var response = await Owner.PostAsync(path, TestHub.Json(json));
        var body = await TestHub.JsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body["message"]!.GetValue<string>(), Does.Contain($"\"{field}\""));
    }

    [Test]
    public async Task WebhookBodyWithLoneSurrogate_400AndNoEvent()
    {
        var (ws, _) = await WsClient.AuthenticateAsync(Hub.WebSocketUri, Hub.AccessToken);
        await using var _ = ws;
        var created = await ws.CallAsync("pihub/webhook/create", new JsonObject { ["name"] = "Surrogate" });
        var id = created["result"]!["webhook_id"]!.GetValue<string>();
        await ws.CallAsync("subscribe_events", new JsonObject { ["event_type"] = "webhook" });

        using var response = await Hub.Http.PostAsync($"api/webhook/{id}", TestHub.Json("""{"door":"\ud800"}"""));
        var body = await TestHub.JsonAsync(response);
        using var good = await Hub.Http.PostAsync($"api/webhook/{id}", TestHub.Json("""{"door":"open"}"""));
        var fired = await ws.ReceiveAsync(m => m["type"]?.GetValue<string>() == "event");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body["message"]!.GetValue<string>(), Does.Contain("\"door\""));
        Assert.That(fired["event"]!["data"]!["data"]!["door"]!.GetValue<string>(), Is.EqualTo("open"), "only the valid call fired an event");
    }

    [Test]
    public async Task WebhookFormPayloadThatIsABadString_400NamingTheField()
    {
        var (ws, _) = await WsClient.AuthenticateAsync(Hub.WebSocketUri, Hub.AccessToken);
        await using var _ = ws;
        var created = await ws.CallAsync("pihub/webhook/create", new JsonObject { ["name"] = "Plex-like" });
        var id = created["result"]!["webhook_id"]!.GetValue<string>();
        using var form = new StringContent("payload=%22%5Cud800%22", Encoding.ASCII, "application/x-www-form-urlencoded");

        using var response = await Hub.Http.PostAsync($"api/webhook/{id}", form);
        var body = await TestHub.JsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body["message"]!.GetValue<string>(), Does.Contain("\"payload\""));
    }

    [TestCase("""{"id":1,"type":"fire_event","event_type":"ws_surrogate","event_data":{"x":"\ud800"}}""")]
    [TestCase("""{"id":1,"type":"call_service","domain":"persistent_notification","service":"create","service_data":{"message":"\udc00"}}""")]
    public async Task WebSocketCommandWithLoneSurrogate_ErrorAndConnectionKeepsWorking(string message)
    {
        var (ws, _) = await WsClient.AuthenticateAsync(Hub.WebSocketUri, Hub.AccessToken);
        await using var _ = ws;

        await ws.SendRawAsync(message);
        var answer = await ws.ReceiveAsync();
        var states = await ws.CallAsync("get_states");

        Assert.That(answer["success"]!.GetValue<bool>(), Is.False);
        Assert.That(answer["error"]!["code"]!.GetValue<string>(), Is.EqualTo("invalid_format"));
        Assert.That(answer["error"]!["message"]!.GetValue<string>(), Does.Contain("not valid Unicode"));
        Assert.That(states["success"]!.GetValue<bool>(), Is.True);
    }
}
