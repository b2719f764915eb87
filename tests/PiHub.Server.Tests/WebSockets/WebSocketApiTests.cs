using System.Net.WebSockets;
using System.Text.Json.Nodes;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Testing;

namespace PiHub.Server.Tests.WebSockets;

public class WebSocketApiTests() : OnboardedHubTests(HubLifetime.PerFixture)
{
    private async Task<WsClient> ConnectAsync()
    {
        var (client, answer) = await WsClient.AuthenticateAsync(Hub.WebSocketUri, Hub.AccessToken);
        Assert.That(answer["type"]!.GetValue<string>(), Is.EqualTo("auth_ok"), answer.ToJsonString());
        return client;
    }

    [Test]
    public async Task Auth_ValidToken_AuthOkWithHaVersion()
    {
        var (client, answer) = await WsClient.AuthenticateAsync(Hub.WebSocketUri, Hub.AccessToken);
        await using var _ = client;

        Assert.That(answer["type"]!.GetValue<string>(), Is.EqualTo("auth_ok"));
        Assert.That(answer["ha_version"]!.GetValue<string>(), Does.StartWith("20"));
    }

    [Test]
    public async Task Auth_BadToken_AuthInvalidThenClosed()
    {
        var (client, answer) = await WsClient.AuthenticateAsync(Hub.WebSocketUri, "bad.token.here");
        await using var _ = client;

        Assert.That(answer["type"]!.GetValue<string>(), Is.EqualTo("auth_invalid"));
        Assert.That(answer["message"]!.GetValue<string>(), Is.Not.Empty);
        Assert.That(await client.WaitForCloseAsync(TimeSpan.FromSeconds(5)), Is.Not.Null);
    }

    [Test]
    public async Task Auth_CommandBeforeAuth_AuthInvalidWithFormatHint()
    {
        await using var client = await WsClient.ConnectAsync(Hub.WebSocketUri);
        await client.ReceiveAsync();
        await client.SendRawAsync("""{"id":1,"type":"get_states"}""");

        var answer = await client.ReceiveAsync();

        Assert.That(answer["type"]!.GetValue<string>(), Is.EqualTo("auth_invalid"));
        Assert.That(answer["message"]!.GetValue<string>(), Does.Contain("\"type\":\"auth\""));
    }

    [Test]
    public async Task Ping_AnswersPong()
    {
        await using var client = await ConnectAsync();

        var pong = await client.CallAsync("ping");

        Assert.That(pong["type"]!.GetValue<string>(), Is.EqualTo("pong"));
    }

    [Test]
    public async Task UnknownCommand_ErrorUnknownCommand()
    {
        await using var client = await ConnectAsync();

        var result = await client.CallAsync("make_coffee");

        Assert.That(result["success"]!.GetValue<bool>(), Is.False);
        Assert.That(result["error"]!["code"]!.GetValue<string>(), Is.EqualTo("unknown_command"));
    }

    [Test]
    public async Task ReusedId_ErrorIdReuse()
    {
        await using var client = await ConnectAsync();
        await client.SendRawAsync("""{"id":5,"type":"ping"}""");
        await client.ReceiveAsync();

        await client.SendRawAsync("""{"id":5,"type":"ping"}""");
        var result = await client.ReceiveAsync();

        Assert.That(result["error"]!["code"]!.GetValue<string>(), Is.EqualTo("id_reuse"));
    }

    [Test]
    public async Task MissingId_ErrorInvalidFormatAndConnectionStays()
    {
        await using var client = await ConnectAsync();
        await client.SendRawAsync("""{"type":"ping"}""");

        var result = await client.ReceiveAsync();
        var pong = await client.CallAsync("ping");

        Assert.That(result["error"]!["code"]!.GetValue<string>(), Is.EqualTo("invalid_format"));
        Assert.That(pong["type"]!.GetValue<string>(), Is.EqualTo("pong"));
    }

    [Test]
    public async Task BadJson_ClosesWithReason()
    {
        await using var client = await ConnectAsync();
        await client.SendRawAsync("{not json");

        var status = await client.WaitForCloseAsync(TimeSpan.FromSeconds(5));

        Assert.That(status, Is.EqualTo(WebSocketCloseStatus.InvalidPayloadData));
        Assert.That(client.CloseReason, Does.StartWith("Invalid JSON"));
    }

    [Test]
    public async Task FrameOver1MiB_ClosesMessageTooBig()
    {
        await using var client = await ConnectAsync();
        await client.SendRawAsync($$"""{"id":1,"type":"ping","pad":"{{new string('x', 1100 * 1024)}}"}""");

        var status = await client.WaitForCloseAsync(TimeSpan.FromSeconds(5));

        Assert.That(status, Is.EqualTo(WebSocketCloseStatus.MessageTooBig));
    }

    [Test]
    public async Task GetStates_IncludesInputBoolean()
    {
        await using var client = await ConnectAsync();

        var result = await client.CallAsync("get_states");

        Assert.That(result["result"]!.AsArray().Select(s => s!["entity_id"]!.GetValue<string>()), Does.Contain("input_boolean.porch"));
    }

    [Test]
    public async Task GetServices_IsObjectKeyedByDomain()
    {
        await using var client = await ConnectAsync();

        var result = await client.CallAsync("get_services");

        Assert.That(result["result"]!["persistent_notification"]!["create"], Is.Not.Null);
    }

    [Test]
    public async Task CallService_UnknownService_NotFound()
    {
        await using var client = await ConnectAsync();

        var result = await client.CallAsync("call_service", new JsonObject { ["domain"] = "light", ["service"] = "turn_on" });

        Assert.That(result["error"]!["code"]!.GetValue<string>(), Is.EqualTo("not_found"));
    }

    [Test]
    public async Task CallService_MissingDomain_InvalidFormat()
    {
        await using var client = await ConnectAsync();

        var result = await client.CallAsync("call_service", new JsonObject { ["service"] = "turn_on" });

        Assert.That(result["error"]!["code"]!.GetValue<string>(), Is.EqualTo("invalid_format"));
        Assert.That(result["error"]!["message"]!.GetValue<string>(), Does.Contain("domain"));
    }

    [Test]
    public async Task SubscribeEvents_RestFiredEvent_Arrives()
    {
        await using var client = await ConnectAsync();
        var subscription = await client.CallAsync("subscribe_events", new JsonObject { ["event_type"] = "ws_test_event" });

        await Owner.PostAsync("api/events/ws_test_event", TestHub.Json("""{"n":7}"""));
        var message = await client.ReceiveAsync(m => m["type"]!.GetValue<string>() == "event");

        Assert.That(subscription["success"]!.GetValue<bool>(), Is.True);
        Assert.That(message["id"]!.GetValue<int>(), Is.EqualTo(subscription["id"]!.GetValue<int>()));
        Assert.That(message["event"]!["data"]!["n"]!.GetValue<int>(), Is.EqualTo(7));
        Assert.That(message["event"]!["origin"]!.GetValue<string>(), Is.EqualTo("REMOTE"));
    }

    [Test]
    public async Task UnsubscribeEvents_StopsDeliveryAndUnknownIsNotFound()
    {
        await using var client = await ConnectAsync();
        var sub = await client.CallAsync("subscribe_events", new JsonObject { ["event_type"] = "ws_unsub_event" });
        var unsub = await client.CallAsync("unsubscribe_events", new JsonObject { ["subscription"] = sub["id"]!.GetValue<int>() });
        var again = await client.CallAsync("unsubscribe_events", new JsonObject { ["subscription"] = sub["id"]!.GetValue<int>() });

        await Owner.PostAsync("api/events/ws_unsub_event", TestHub.Json("{}"));
        var next = await client.CallAsync("ping");

        Assert.That(unsub["success"]!.GetValue<bool>(), Is.True);
        Assert.That(again["error"]!["code"]!.GetValue<string>(), Is.EqualTo("not_found"));
        Assert.That(next["type"]!.GetValue<string>(), Is.EqualTo("pong"), "no event arrived before the pong");
    }

    [Test]
    public async Task SubscribeEntities_AddChangeRemove_CompressedFormat()
    {
        await using var client = await ConnectAsync();
        var sub = await client.CallAsync("subscribe_entities", new JsonObject { ["entity_ids"] = new JsonArray("sensor.ws_entity") });
        var initial = await client.ReceiveAsync(m => m["type"]!.GetValue<string>() == "event");

        await Owner.PostAsync("api/states/sensor.ws_entity", TestHub.Json("""{"state":"1","attributes":{"a":1,"b":2}}"""));
        var added = await client.ReceiveAsync(m => m["type"]!.GetValue<string>() == "event");
        await Owner.PostAsync("api/states/sensor.ws_entity", TestHub.Json("""{"state":"2","attributes":{"a":5}}"""));
        var changed = await client.ReceiveAsync(m => m["type"]!.GetValue<string>() == "event");
        await Owner.DeleteAsync("api/states/sensor.ws_entity");
        var removed = await client.ReceiveAsync(m => m["type"]!.GetValue<string>() == "event");

        Assert.That(sub["success"]!.GetValue<bool>(), Is.True);
        Assert.That(initial["event"]!["a"]!.AsObject(), Is.Empty);
        Assert.That(added["event"]!["a"]!["sensor.ws_entity"]!["s"]!.GetValue<string>(), Is.EqualTo("1"));
        var plus = changed["event"]!["c"]!["sensor.ws_entity"]!["+"]!;
        Assert.That(plus["s"]!.GetValue<string>(), Is.EqualTo("2"));
        Assert.That(plus["a"]!["a"]!.GetValue<int>(), Is.EqualTo(5));
        Assert.That(changed["event"]!["c"]!["sensor.ws_entity"]!["-"]!["a"]!.AsArray().Single()!.GetValue<string>(), Is.EqualTo("b"));
        Assert.That(removed["event"]!["r"]!.AsArray().Single()!.GetValue<string>(), Is.EqualTo("sensor.ws_entity"));
    }

    [Test]
    public async Task CoalesceMessages_Enabled_StillDeliversEveryEvent()
    {
        await using var client = await ConnectAsync();
        await client.CallAsync("supported_features", new JsonObject { ["features"] = new JsonObject { ["coalesce_messages"] = 1 } });
        await client.CallAsync("subscribe_events", new JsonObject { ["event_type"] = "burst" });

        for (var i = 0; i < 50; i++) await Owner.PostAsync("api/events/burst", TestHub.Json($$"""{"n":{{i}}}"""));
        var seen = new List<int>();
        while (seen.Count < 50) seen.Add((await client.ReceiveAsync(m => m["type"]!.GetValue<string>() == "event"))["event"]!["data"]!["n"]!.GetValue<int>());

        Assert.That(seen, Is.EqualTo(Enumerable.Range(0, 50)));
    }

    [Test]
    public async Task RevokeRefreshToken_ClosesItsWebSocketsAtOnce()
    {
        var tokens = await Hub.Api.LoginAsync("owner", HubApi.OwnerPassword);
        var (client, answer) = await WsClient.AuthenticateAsync(Hub.WebSocketUri, tokens["access_token"]!.GetValue<string>());
        await using var _ = client;
        await using var other = await ConnectAsync();
        Assert.That(answer["type"]!.GetValue<string>(), Is.EqualTo("auth_ok"));

        var revoke = await Hub.Http.PostAsync("auth/revoke", HubApi.Form(("token", tokens["refresh_token"]!.GetValue<string>())));
        var status = await client.WaitForCloseAsync(TimeSpan.FromSeconds(5));
        var stillOpen = await other.CallAsync("ping");

        Assert.That(revoke.IsSuccessStatusCode, Is.True);
        Assert.That(status, Is.EqualTo(WebSocketCloseStatus.PolicyViolation));
        Assert.That(client.CloseReason, Does.Contain("revoked"));
        Assert.That(stillOpen["type"]!.GetValue<string>(), Is.EqualTo("pong"), "only that token's sockets close");
    }

    [Test]
    public async Task SlowClient_ThatStopsReading_IsDroppedNotBuffered()
    {
        await using var slow = await ConnectAsync();
        await slow.CallAsync("subscribe_events", new JsonObject { ["event_type"] = "flood" });
        var payload = new string('x', 8 * 1024);
        var hub = Hub.Service<PiHub.Core.Hub.HubCore>();

        // Fire far more than the socket buffers plus the bounded queue can hold, without reading.
        var data = System.Text.Json.JsonDocument.Parse($$"""{"pad":"{{payload}}"}""").RootElement;
        for (var i = 0; i < 20_000; i++)
        {
            hub.Bus.Fire(new PiHub.Core.Hub.CustomEvent("flood", data, PiHub.Core.Hub.HubContext.New(), DateTimeOffset.UtcNow));
        }

        var status = await slow.WaitForCloseAsync(TimeSpan.FromSeconds(20));
        Assert.That(status, Is.Not.Null, "the slow client was not dropped");
    }
}
