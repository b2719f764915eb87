using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Testing;

namespace PiHub.Server.Tests.History;

/// <summary>Home Assistant's history API (REST and WebSocket) on a real Kestrel with a real day-log store.</summary>
public sealed class HistoryApiTests() : OnboardedHubTests(HubLifetime.PerFixture)
{
    private async Task SetAsync(string entityId, string state, string attributes = "{}")
    {
        using var response = await Owner.PostAsync($"api/states/{entityId}", TestHub.Json($$"""{"state":"{{state}}","attributes":{{attributes}}}"""));
        Assert.That((int)response.StatusCode, Is.LessThan(300), await response.Content.ReadAsStringAsync());
    }

    private static string Iso(DateTimeOffset t) => Uri.EscapeDataString(t.ToString("O", CultureInfo.InvariantCulture));

    private async Task<(HttpStatusCode Status, JsonNode Body)> GetAsync(string path, HttpClient? client = null)
    {
        using var response = await (client ?? Owner).GetAsync(path);
        return (response.StatusCode, await TestHub.JsonAsync(response));
    }

    [Test]
    public async Task RestHistory_TwoEntities_OneListEachInFilterOrderWithStateObjects()
    {
        var start = DateTimeOffset.UtcNow.AddSeconds(-1);
        await SetAsync("sensor.h_a", "1", """{"unit_of_measurement":"W"}""");
        await SetAsync("sensor.h_b", "x");
        await SetAsync("sensor.h_a", "2", """{"unit_of_measurement":"W"}""");

        var (status, body) = await GetAsync($"api/history/period/{Iso(start)}?filter_entity_id=sensor.h_b,sensor.h_a");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        var lists = body.AsArray();
        Assert.That(lists.Select(l => l![0]!["entity_id"]!.GetValue<string>()), Is.EqualTo(new[] { "sensor.h_b", "sensor.h_a" }));
        var a = lists[1]!.AsArray();
        Assert.That(a.Select(r => r!["state"]!.GetValue<string>()), Is.EqualTo(new[] { "1", "2" }));
        Assert.That(a[0]!["attributes"]!["unit_of_measurement"]!.GetValue<string>(), Is.EqualTo("W"));
        Assert.That(a[0]!.AsObject().Select(p => p.Key), Is.EquivalentTo(new[] { "entity_id", "state", "attributes", "last_changed", "last_updated" }));
    }

    [Test]
    public async Task RestHistory_StartAfterAChange_FirstRowIsTheStateAtStartWithItsTime()
    {
        await SetAsync("sensor.h_start", "before");
        await Task.Delay(20);
        var start = DateTimeOffset.UtcNow;
        await SetAsync("sensor.h_start", "after");

        var (_, body) = await GetAsync($"api/history/period/{Iso(start)}?filter_entity_id=sensor.h_start");

        var rows = body[0]!.AsArray();
        Assert.That(rows.Select(r => r!["state"]!.GetValue<string>()), Is.EqualTo(new[] { "before", "after" }));
        Assert.That(DateTimeOffset.Parse(rows[0]!["last_updated"]!.GetValue<string>(), CultureInfo.InvariantCulture), Is.EqualTo(start).Within(TimeSpan.FromMilliseconds(1)));
    }

    [Test]
    public async Task RestHistory_MinimalResponseNoAttributesSkipInitialState_HomeAssistantShapes()
    {
        await SetAsync("sensor.h_min", "1", """{"a":1}""");
        await Task.Delay(20);
        var start = DateTimeOffset.UtcNow;
        await SetAsync("sensor.h_min", "2", """{"a":1}""");
        await SetAsync("sensor.h_min", "2", """{"a":2}"""); // attribute-only: not significant
        await SetAsync("sensor.h_min", "3", """{"a":2}""");

        var (_, minimal) = await GetAsync($"api/history/period/{Iso(start)}?filter_entity_id=sensor.h_min&minimal_response&no_attributes");
        var (_, skipped) = await GetAsync($"api/history/period/{Iso(start)}?filter_entity_id=sensor.h_min&skip_initial_state&significant_changes_only=0");

        var rows = minimal[0]!.AsArray();
        Assert.That(rows.Select(r => r!["state"]!.GetValue<string>()), Is.EqualTo(new[] { "1", "2", "3" }));
        Assert.That(rows[0]!["attributes"]!.AsObject(), Is.Empty);
        Assert.That(rows[1]!.AsObject().Select(p => p.Key), Is.EqualTo(new[] { "state", "last_changed" }));
        Assert.That(skipped[0]!.AsArray().Select(r => r!["state"]!.GetValue<string>()), Is.EqualTo(new[] { "2", "2", "3" }));
    }

    [TestCase("api/history/period", "filter_entity_id is missing")]
    [TestCase("api/history/period?filter_entity_id=not_an_entity", "Invalid filter_entity_id")]
    [TestCase("api/history/period/yesterday?filter_entity_id=sensor.a", "Invalid datetime")]
    [TestCase("api/history/period?filter_entity_id=sensor.a&end_time=soon", "Invalid end_time")]
    public async Task RestHistory_BadRequest_HomeAssistantMessageAndWhatToDo(string path, string message)
    {
        var (status, body) = await GetAsync(path);

        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body["message"]!.GetValue<string>(), Does.StartWith(message).And.Length.GreaterThan(message.Length + 10));
    }

    [Test]
    public async Task RestHistory_OffsetPlusSentUnencoded_ReadAsPlus()
    {
        await SetAsync("sensor.h_plus", "1");

        var (status, body) = await GetAsync($"api/history/period/2020-01-01T00:00:00+00:00?filter_entity_id=sensor.h_plus&end_time={DateTimeOffset.UtcNow.AddDays(1):yyyy-MM-ddTHH:mm:ss}+00:00");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToJsonString());
        Assert.That(body.AsArray(), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task WsHistoryDuringPeriod_CompressedRowsWithEpochTimes()
    {
        var start = DateTimeOffset.UtcNow.AddSeconds(-1);
        await SetAsync("sensor.h_ws", "10", """{"unit_of_measurement":"°C"}""");
        await SetAsync("sensor.h_ws", "11", """{"unit_of_measurement":"°C"}""");
        var (ws, _) = await WsClient.AuthenticateAsync(Hub.WebSocketUri, Hub.AccessToken);
        await using var _ = ws;

        var result = await ws.CallAsync("history/history_during_period", new JsonObject
        {
            ["start_time"] = start.ToString("O", CultureInfo.InvariantCulture),
            ["entity_ids"] = new JsonArray("sensor.h_ws"),
        });

        var rows = result["result"]!["sensor.h_ws"]!.AsArray();
        Assert.That(rows.Select(r => r!["s"]!.GetValue<string>()), Is.EqualTo(new[] { "10", "11" }));
        Assert.That(rows[0]!.AsObject().Select(p => p.Key), Is.EqualTo(new[] { "s", "a", "lu" }));
        Assert.That(rows[0]!["lu"]!.GetValue<double>(), Is.EqualTo(start.ToUnixTimeMilliseconds() / 1000.0).Within(5));
        Assert.That(rows[0]!["a"]!["unit_of_measurement"]!.GetValue<string>(), Is.EqualTo("°C"));
    }

    [Test]
    public async Task WsHistoryDuringPeriod_BadStartTime_InvalidStartTime()
    {
        var (ws, _) = await WsClient.AuthenticateAsync(Hub.WebSocketUri, Hub.AccessToken);
        await using var _ = ws;

        var result = await ws.CallAsync("history/history_during_period", new JsonObject { ["start_time"] = "last tuesday" });

        Assert.That(result["error"]!["code"]!.GetValue<string>(), Is.EqualTo("invalid_start_time"));
    }

    [Test]
    public async Task WsHistoryStream_BackfillThenLiveChanges()
    {
        var start = DateTimeOffset.UtcNow.AddSeconds(-1);
        await SetAsync("sensor.h_stream", "a");
        var (ws, _) = await WsClient.AuthenticateAsync(Hub.WebSocketUri, Hub.AccessToken);
        await using var _ = ws;

        var id = await ws.CommandAsync("history/stream", new JsonObject
        {
            ["start_time"] = start.ToString("O", CultureInfo.InvariantCulture),
            ["entity_ids"] = new JsonArray("sensor.h_stream"),
        });
        var result = await ws.ReceiveAsync(m => m["id"]!.GetValue<int>() == id && m["type"]!.GetValue<string>() == "result");
        var backfill = await ws.ReceiveAsync(m => m["id"]!.GetValue<int>() == id && m["type"]!.GetValue<string>() == "event");
        await SetAsync("sensor.h_stream", "b");
        var live = await ws.ReceiveAsync(m => m["id"]!.GetValue<int>() == id && m["type"]!.GetValue<string>() == "event");

        Assert.That(result["result"], Is.Null);
        Assert.That(backfill["event"]!["states"]!["sensor.h_stream"]!.AsArray().Select(r => r!["s"]!.GetValue<string>()), Is.EqualTo(new[] { "a" }));
        Assert.That(backfill["event"]!["start_time"]!.GetValue<double>(), Is.GreaterThan(0));
        Assert.That(live["event"]!["states"]!["sensor.h_stream"]![0]!["s"]!.GetValue<string>(), Is.EqualTo("b"));
        Assert.That(live["event"]!.AsObject().Select(p => p.Key), Is.EqualTo(new[] { "states" }));
    }
}
