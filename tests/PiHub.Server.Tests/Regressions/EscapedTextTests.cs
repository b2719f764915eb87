using System.Text.Json.Nodes;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Testing;

namespace PiHub.Server.Tests.Regressions;

/// <summary>
/// States, events and WebSocket answers were written with .NET's default JSON escaping: every timestamp's
/// <c>+00:00</c> went out as <c>\u002B00:00</c>, a friendly name such as <c>Küche</c> as <c>K\u00FCche</c>, a unit
/// <c>°C</c> as <c>\u00B0C</c>. Parsed, the JSON was the same, but it was not what Home Assistant sends, each state
/// was 15 bytes longer, and anyone reading or grepping the raw answer (curl, Tasker, a log) saw escapes. Now the
/// text goes out as it is; quotes and backslashes are still escaped.
/// </summary>
public class EscapedTextTests() : OnboardedHubTests(HubLifetime.PerFixture)
{
    private const string Attributes = """{"state":"21.5","attributes":{"friendly_name":"Küche","unit_of_measurement":"°C","note":"a+b `x` \"q\""}}""";

    [Test]
    public async Task RestState_TextAndTimestampsAsTheyAre()
    {
        using var posted = await Owner.PostAsync("api/states/sensor.kueche", TestHub.Json(Attributes));
        using var response = await Owner.GetAsync("api/states/sensor.kueche");
        var raw = await response.Content.ReadAsStringAsync();

        Assert.That(raw, Does.Contain("\"friendly_name\":\"Küche\""));
        Assert.That(raw, Does.Contain("\"unit_of_measurement\":\"°C\""));
        Assert.That(raw, Does.Contain("\"note\":\"a+b `x` \\\"q\\\"\""), "quotes stay escaped");
        Assert.That(raw, Does.Match("\"last_changed\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}\\+00:00\""));
        Assert.That(raw, Does.Not.Contain("\\u"));
        Assert.That(JsonNode.Parse(raw)!["attributes"]!["friendly_name"]!.GetValue<string>(), Is.EqualTo("Küche"));
    }

    [Test]
    public async Task StateChangedEvent_FrameHasTextAsItIs()
    {
        var (ws, _) = await WsClient.AuthenticateAsync(Hub.WebSocketUri, Hub.AccessToken);
        await using var _ = ws;
        await ws.CallAsync("subscribe_events", new JsonObject { ["event_type"] = "state_changed" });

        using var posted = await Owner.PostAsync("api/states/sensor.kueche_event", TestHub.Json(Attributes));
        var fired = await ws.ReceiveAsync(m => m["type"]?.GetValue<string>() == "event");

        Assert.That(fired["event"]!["data"]!["entity_id"]!.GetValue<string>(), Is.EqualTo("sensor.kueche_event"));
        Assert.That(ws.LastFrameText, Does.Contain("\"friendly_name\":\"Küche\"").And.Contain("+00:00\""));
        Assert.That(ws.LastFrameText, Does.Not.Contain("\\u"));
    }
}
