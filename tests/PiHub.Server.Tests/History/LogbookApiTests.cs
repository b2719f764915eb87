using System.Globalization;
using System.Text.Json.Nodes;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Testing;

namespace PiHub.Server.Tests.History;

/// <summary>
/// The logbook says who did what: "the owner's Tasker token turned on the porch light" is an entry
/// with the owner's user id and name, the token's name and the service that did it.
/// </summary>
public sealed class LogbookApiTests() : OnboardedHubTests(HubLifetime.PerFixture)
{
    private string _ownerId = null!;
    private string _tasker = null!;

    protected override Dictionary<string, string?> Settings() => new() { ["input_boolean:porch_light:name"] = "Porch light" };

    protected override async Task OnHubStartedAsync()
    {
        var (ws, _) = await WsClient.AuthenticateAsync(Hub.WebSocketUri, Hub.AccessToken);
        await using (ws)
        {
            _ownerId = (await ws.CallAsync("auth/current_user"))["result"]!["id"]!.GetValue<string>();
            _tasker = (await ws.CallAsync("auth/long_lived_access_token", new JsonObject { ["client_name"] = "Tasker", ["lifespan"] = 30 }))["result"]!.GetValue<string>();
        }
    }

    private async Task TurnOnPorchWithTaskerAsync()
    {
        using var tasker = Hub.Client(_tasker);
        using var response = await tasker.PostAsync("api/services/input_boolean/turn_on", TestHub.Json("""{"entity_id":"input_boolean.porch_light"}"""));
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task RestLogbook_TaskerTokenTurnsOnPorchLight_EntryNamesOwnerTokenAndService()
    {
        await TurnOnPorchWithTaskerAsync();

        using var response = await Owner.GetAsync("api/logbook?entity=input_boolean.porch_light");
        var entry = (await TestHub.JsonAsync(response)).AsArray().Last(e => e!["state"]?.GetValue<string>() == "on")!;

        Assert.That(entry["entity_id"]!.GetValue<string>(), Is.EqualTo("input_boolean.porch_light"));
        Assert.That(entry["name"]!.GetValue<string>(), Is.EqualTo("Porch light"));
        Assert.That(entry["context_user_id"]!.GetValue<string>(), Is.EqualTo(_ownerId));
        Assert.That(entry["context_user_name"]!.GetValue<string>(), Is.EqualTo("Owner"));
        Assert.That(entry["context_client_name"]!.GetValue<string>(), Is.EqualTo("Tasker"));
        Assert.That(entry["context_event_type"]!.GetValue<string>(), Is.EqualTo("call_service"));
        Assert.That((entry["context_domain"]!.GetValue<string>(), entry["context_service"]!.GetValue<string>()), Is.EqualTo(("input_boolean", "turn_on")));
        Assert.That(DateTimeOffset.TryParse(entry["when"]!.GetValue<string>(), CultureInfo.InvariantCulture, out _), Is.True);
    }

    [Test]
    public async Task RestLogbook_ContextId_OnlyThatAction()
    {
        await TurnOnPorchWithTaskerAsync();
        using var all = await Owner.GetAsync("api/logbook");
        var contextId = (await TestHub.JsonAsync(all)).AsArray().Last()!["context_id"]!.GetValue<string>();

        using var one = await Owner.GetAsync($"api/logbook?context_id={contextId}");
        var entries = (await TestHub.JsonAsync(one)).AsArray();

        Assert.That(entries.Select(e => e!["context_id"]!.GetValue<string>()).Distinct(), Is.EqualTo(new[] { contextId }));
    }

    [TestCase("api/logbook/never", "Invalid datetime")]
    [TestCase("api/logbook?end_time=later", "Invalid end_time")]
    [TestCase("api/logbook?entity=light.a&context_id=x", "Can't combine entity with context_id")]
    [TestCase("api/logbook?entity=nope", "Invalid entity id(s) encountered: nope")]
    public async Task RestLogbook_BadRequest_Says400AndWhy(string path, string message)
    {
        using var response = await Owner.GetAsync(path);

        Assert.That((int)response.StatusCode, Is.EqualTo(400));
        Assert.That((await TestHub.JsonAsync(response))["message"]!.GetValue<string>(), Does.StartWith(message));
    }

    [Test]
    public async Task WsGetEvents_EpochWhenAndNoNames()
    {
        var start = DateTimeOffset.UtcNow.AddSeconds(-1);
        await TurnOnPorchWithTaskerAsync();
        var (ws, _) = await WsClient.AuthenticateAsync(Hub.WebSocketUri, Hub.AccessToken);
        await using var _ = ws;

        var result = await ws.CallAsync("logbook/get_events", new JsonObject
        {
            ["start_time"] = start.AddMinutes(-5).ToString("O", CultureInfo.InvariantCulture),
            ["entity_ids"] = new JsonArray("input_boolean.porch_light"),
        });

        var entry = result["result"]!.AsArray().Last()!;
        Assert.That(entry["when"]!.GetValue<double>(), Is.GreaterThan(1_700_000_000));
        Assert.That(entry["name"], Is.Null);
        Assert.That(entry["context_client_name"]!.GetValue<string>(), Is.EqualTo("Tasker"));
    }

    [Test]
    public async Task WsEventStream_BackfillThenLiveEntry()
    {
        var (ws, _) = await WsClient.AuthenticateAsync(Hub.WebSocketUri, Hub.AccessToken);
        await using var _ = ws;

        var id = await ws.CommandAsync("logbook/event_stream", new JsonObject
        {
            ["start_time"] = DateTimeOffset.UtcNow.AddHours(-1).ToString("O", CultureInfo.InvariantCulture),
            ["entity_ids"] = new JsonArray("input_boolean.porch_light"),
        });
        await ws.ReceiveAsync(m => m["id"]!.GetValue<int>() == id && m["type"]!.GetValue<string>() == "result");
        var backfill = await ws.ReceiveAsync(m => m["id"]!.GetValue<int>() == id && m["type"]!.GetValue<string>() == "event");
        using (var member = Hub.Client(_tasker))
        {
            await member.PostAsync("api/services/input_boolean/toggle", TestHub.Json("""{"entity_id":"input_boolean.porch_light"}"""));
        }

        var live = await ws.ReceiveAsync(m => m["id"]!.GetValue<int>() == id && m["type"]!.GetValue<string>() == "event");

        Assert.That(backfill["event"]!["events"], Is.InstanceOf<JsonArray>());
        Assert.That(backfill["event"]!["end_time"]!.GetValue<double>(), Is.GreaterThan(backfill["event"]!["start_time"]!.GetValue<double>()));
        var entry = live["event"]!["events"]![0]!;
        Assert.That(entry["entity_id"]!.GetValue<string>(), Is.EqualTo("input_boolean.porch_light"));
        Assert.That(entry["context_service"]!.GetValue<string>(), Is.EqualTo("toggle"));
    }
}
