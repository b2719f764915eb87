using System.Text.Json.Nodes;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Server.Tests.Security;
using PiHub.Testing;

namespace PiHub.Server.Tests.Regressions;

/// <summary>
/// Issue 24, item 7: a non-admin user opened 20,000 <c>subscribe_events</c> on one connection in 1.3 s, each a copy of
/// the bus's subscriber list under its lock and a call on every event. One connection may now hold 500 subscriptions
/// and one user 2,000; the next is refused with <c>too_many_subscriptions</c> and a sentence saying what to do.
/// </summary>
public class SubscriptionsUnboundedTests
{
    private const int PerConnection = 500;
    private const int PerUser = 2_000;

    private TestHub _hub = null!;

    [TearDown]
    public async Task StopAsync()
    {
        if (_hub is not null) await _hub.DisposeAsync();
    }

    [Test]
    public async Task ManySubscribeEvents_OneConnection_RefusedPastTheCapUntilOneIsUnsubscribed()
    {
        var token = await StartWithUserAsync();
        var (ws, _) = await _hub.WebSocketFromAsync("127.0.0.40", token);
        await using var _ = ws;

        var answers = await SubscribeManyAsync(ws, PerConnection + 20);
        var refused = answers.Where(a => a["success"]!.GetValue<bool>() == false).ToList();
        var unsubscribed = await ws.CallAsync("unsubscribe_events", new JsonObject { ["subscription"] = answers[0]["id"]!.GetValue<int>() });
        var again = await ws.CallAsync("subscribe_events", new JsonObject { ["event_type"] = "state_changed" });

        Assert.That(answers.Take(PerConnection).All(a => a["success"]!.GetValue<bool>()), Is.True, "the first 500 are served");
        Assert.That(refused, Has.Count.EqualTo(20));
        Assert.That(refused[0]["error"]!["code"]!.GetValue<string>(), Is.EqualTo("too_many_subscriptions"));
        Assert.That(refused[0]["error"]!["message"]!.GetValue<string>(), Does.Contain("500").And.Contain("unsubscribe_events"));
        Assert.That(unsubscribed["success"]!.GetValue<bool>(), Is.True);
        Assert.That(again["success"]!.GetValue<bool>(), Is.True, "room again after an unsubscribe");
    }

    [Test]
    public async Task ManyConnectionsOfOneUser_FullOfSubscriptions_NextRefusedForTheUserAndFreedOnClose()
    {
        var token = await StartWithUserAsync();
        var sockets = new List<WsClient>();
        try
        {
            for (var i = 0; i < PerUser / PerConnection; i++)
            {
                var (ws, _) = await _hub.WebSocketFromAsync($"127.0.0.{41 + i}", token);
                sockets.Add(ws);
                var answers = await SubscribeManyAsync(ws, PerConnection);
                Assert.That(answers.All(a => a["success"]!.GetValue<bool>()), Is.True, $"connection {i} fills its 500");
            }

            var (extra, _) = await _hub.WebSocketFromAsync("127.0.0.45", token);
            sockets.Add(extra);
            var refused = await extra.CallAsync("subscribe_events", new JsonObject { ["event_type"] = "state_changed" });
            var entities = await extra.CallAsync("subscribe_entities");
            await sockets[0].DisposeAsync();
            sockets.RemoveAt(0);
            var afterClose = await RetryAsync(() => extra.CallAsync("subscribe_events", new JsonObject { ["event_type"] = "state_changed" }));

            Assert.That(refused["success"]!.GetValue<bool>(), Is.False);
            Assert.That(refused["error"]!["code"]!.GetValue<string>(), Is.EqualTo("too_many_subscriptions"));
            Assert.That(refused["error"]!["message"]!.GetValue<string>(), Does.Contain("Mallory's connections hold 2000"));
            Assert.That(entities["success"]!.GetValue<bool>(), Is.False, "subscribe_entities counts too");
            Assert.That(afterClose["success"]!.GetValue<bool>(), Is.True, "a closed connection gives its subscriptions back");
        }
        finally
        {
            foreach (var ws in sockets) await ws.DisposeAsync();
        }
    }

    private async Task<string> StartWithUserAsync()
    {
        _hub = await TestHub.StartAsync();
        await _hub.OnboardAsync();
        await _hub.CreateUserAsync("Mallory", "mallory");
        using var client = _hub.ClientFrom("127.0.0.40");
        return (await Attacks.LogInAsync(client, "mallory"))["access_token"]!.GetValue<string>();
    }

    /// <summary>Sends <paramref name="count"/> subscribe_events at once, then reads their results in order.</summary>
    private static async Task<List<JsonNode>> SubscribeManyAsync(WsClient ws, int count)
    {
        var ids = new List<int>();
        for (var i = 0; i < count; i++) ids.Add(await ws.CommandAsync("subscribe_events", new JsonObject { ["event_type"] = "state_changed" }));
        var results = new Dictionary<int, JsonNode>();
        while (results.Count < count)
        {
            var message = await ws.ReceiveAsync(m => m["type"]?.GetValue<string>() == "result", TimeSpan.FromSeconds(30));
            results[message["id"]!.GetValue<int>()] = message;
        }

        return [.. ids.Select(id => results[id])];
    }

    /// <summary>The connection's close reaches the hub a moment after the client's: retries a refused call for up to 5 s.</summary>
    private static async Task<JsonNode> RetryAsync(Func<Task<JsonNode>> call)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (true)
        {
            var answer = await call();
            if (answer["success"]!.GetValue<bool>() || DateTime.UtcNow > deadline) return answer;
            await Task.Delay(100);
        }
    }
}
