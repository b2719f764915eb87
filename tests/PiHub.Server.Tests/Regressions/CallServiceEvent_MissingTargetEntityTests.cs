using System.Text.Json.Nodes;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Testing;

namespace PiHub.Server.Tests.Regressions;

/// <summary>
/// "My Node-RED events node sees call_service with an empty service_data: which light was it?"
/// Home Assistant merges the call's <c>target</c> into the event's <c>service_data</c>; PiHub sent
/// the data alone, so a call with a target said nothing about its entities.
/// </summary>
public class CallServiceEvent_MissingTargetEntityTests() : OnboardedHubTests(HubLifetime.PerFixture)
{
    [Test]
    public async Task CallService_WithTarget_EventServiceDataCarriesEntityId()
    {
        var (ws, _) = await WsClient.AuthenticateAsync(Hub.WebSocketUri, Hub.AccessToken);
        await using var _ = ws;
        var subscription = await ws.CommandAsync("subscribe_events", new JsonObject { ["event_type"] = "call_service" });
        await ws.ReceiveAsync(m => m["id"]?.GetValue<int>() == subscription);

        // The event leaves before the call's result (it fires before the service runs): read it first.
        await ws.CommandAsync("call_service", new JsonObject
        {
            ["domain"] = "input_boolean",
            ["service"] = "turn_on",
            ["service_data"] = new JsonObject(),
            ["target"] = new JsonObject { ["entity_id"] = "input_boolean.porch" },
        });
        var ev = await ws.ReceiveAsync(m => m["id"]?.GetValue<int>() == subscription && m["type"]?.GetValue<string>() == "event");

        Assert.That(ev["event"]!["data"]!.ToJsonString(),
            Is.EqualTo("""{"domain":"input_boolean","service":"turn_on","service_data":{"entity_id":"input_boolean.porch"}}"""));
    }

    [Test]
    public async Task CallService_DataAndTarget_BothInServiceData()
    {
        var (ws, _) = await WsClient.AuthenticateAsync(Hub.WebSocketUri, Hub.AccessToken);
        await using var _ = ws;
        var subscription = await ws.CommandAsync("subscribe_events", new JsonObject { ["event_type"] = "call_service" });
        await ws.ReceiveAsync(m => m["id"]?.GetValue<int>() == subscription);

        await ws.CommandAsync("call_service", new JsonObject
        {
            ["domain"] = "persistent_notification",
            ["service"] = "create",
            ["service_data"] = new JsonObject { ["message"] = "hi" },
            ["target"] = new JsonObject(),
        });
        var ev = await ws.ReceiveAsync(m => m["id"]?.GetValue<int>() == subscription && m["type"]?.GetValue<string>() == "event");

        Assert.That(ev["event"]!["data"]!["service_data"]!.ToJsonString(), Is.EqualTo("""{"message":"hi"}"""));
    }
}
