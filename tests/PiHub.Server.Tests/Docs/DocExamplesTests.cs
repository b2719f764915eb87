using System.Text.Json.Nodes;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Testing;

namespace PiHub.Server.Tests.Docs;

/// <summary>
/// The examples of README.md and docs/*.md (each fenced block tagged <c>&lt;!-- doc-test: name --&gt;</c>), run
/// verbatim against a real hub with a real long-lived token. The history, onboarding and power examples run in
/// fixtures of their own (they need a hub with history, without an owner, or with simulated power).
/// </summary>
public sealed class DocExamplesTests() : OnboardedHubTests(HubLifetime.PerFixture)
{
    /// <summary>Every tag some test runs; a new tagged example fails <see cref="Examples_EveryTag_HasATest"/> until it has one.</summary>
    private static readonly string[] s_tested =
    [
        "curl-states", "curl-set-state", "tasker-toggle", "curl-event", "node", // README
        "curl-onboarding", "curl-refresh", // README, OnboardingDocExamplesTests
        "curl-history", "curl-logbook", // docs/api.md, HistoryDocExamplesTests
        "curl-metrics", "curl-webhook", "curl-webhook-signed", // docs/api.md
        "curl-power-simulate", // docs/power-gpio.md, PowerDocExamplesTests
    ];

    private const string WebhookSecret = "5f1c0d9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f10";

    private string _token = null!;
    private WsClient _ws = null!;

    protected override Dictionary<string, string?> Settings() => new() { ["input_boolean:porch_light:name"] = "Porch light" };

    protected override async Task OnHubStartedAsync()
    {
        (_ws, _) = await WsClient.AuthenticateAsync(Hub.WebSocketUri, Hub.AccessToken);
        var result = await _ws.CallAsync("auth/long_lived_access_token", new JsonObject { ["client_name"] = "README", ["lifespan"] = 30 });
        _token = result["result"]!.GetValue<string>();
        await _ws.CallAsync("subscribe_events", new JsonObject { ["event_type"] = "webhook" });
    }

    [OneTimeTearDown]
    public Task CloseSocketAsync() => _ws.DisposeAsync().AsTask();

    private Dictionary<string, string> Environment(params (string Name, string Value)[] more)
    {
        var environment = new Dictionary<string, string> { ["PIHUB_URL"] = Hub.Api.BaseUri.ToString().TrimEnd('/'), ["TOKEN"] = _token };
        foreach (var (name, value) in more) environment[name] = value;
        return environment;
    }

    [Test]
    public void Examples_EveryTag_HasATest()
    {
        Assert.That(DocPages.Examples().Keys, Is.EquivalentTo(s_tested));
    }

    [Test]
    public void Examples_EveryCurlOrNodeBlock_IsTagged()
    {
        var untagged = DocPages.Blocks()
            .Where(b => b.Tag is null && (b.Code.Contains("curl ", StringComparison.Ordinal) || b.Code.Contains("createConnection", StringComparison.Ordinal)))
            .Select(b => $"{b.Page}: {b.Code.Split('\n')[0]}");

        Assert.That(untagged, Is.Empty, "Tag each example with <!-- doc-test: name --> and give it a test here");
    }

    [Test]
    public async Task CurlStates_Verbatim_ListsStates()
    {
        var output = await DocShell.BashAsync(DocPages.Examples()["curl-states"], Environment());

        Assert.That(JsonNode.Parse(output)!.AsArray().Select(s => s!["entity_id"]!.GetValue<string>()), Does.Contain("input_boolean.porch_light"));
    }

    [Test]
    public async Task CurlSetState_Verbatim_CreatesSensor()
    {
        var output = await DocShell.BashAsync(DocPages.Examples()["curl-set-state"], Environment());

        Assert.That(JsonNode.Parse(output)!["state"]!.GetValue<string>(), Is.EqualTo("21.5"));
        Assert.That(Hub.Service<PiHub.Core.Hub.HubCore>().States.Get("sensor.kitchen_temperature")!.Value, Is.EqualTo("21.5"));
    }

    [Test]
    public async Task TaskerPost_Authentication_TogglesPorchLight()
    {
        var states = Hub.Service<PiHub.Core.Hub.HubCore>().States;
        var before = states.Get("input_boolean.porch_light")!.Value;

        var output = await DocShell.BashAsync(DocPages.Examples()["tasker-toggle"], Environment());

        Assert.That(JsonNode.Parse(output)!.AsArray(), Has.Count.EqualTo(1), output);
        Assert.That(states.Get("input_boolean.porch_light")!.Value, Is.Not.EqualTo(before));
    }

    [Test]
    public async Task CurlEvent_Verbatim_Fired()
    {
        var output = await DocShell.BashAsync(DocPages.Examples()["curl-event"], Environment());

        Assert.That(JsonNode.Parse(output)!["message"]!.GetValue<string>(), Is.EqualTo("Event phone_ringing fired."));
    }

    [Test]
    public async Task NodeExample_Verbatim_TogglesAndSeesState()
    {
        var (code, output) = await DocShell.NodeAsync(DocPages.Examples()["node"], Environment());

        Assert.That(code, Is.Zero, output);
        Assert.That(output, Does.Contain("porch light is"));
    }

    [Test]
    public async Task CurlMetrics_Verbatim_PrometheusText()
    {
        var output = await DocShell.BashAsync(DocPages.Examples()["curl-metrics"], Environment());

        Assert.That(output, Does.Contain("# TYPE pihub_auth_logins_total counter"));
    }

    [Test]
    public async Task CurlWebhook_Verbatim_FiresTheEvent()
    {
        var id = await CreateWebhookAsync(secret: null);

        await DocShell.BashAsync(DocPages.Examples()["curl-webhook"], Environment(("WEBHOOK_ID", id)));
        var data = (await _ws.ReceiveAsync(m => m["type"]!.GetValue<string>() == "event"))["event"]!["data"]!;

        Assert.That((data["webhook_id"]!.GetValue<string>(), data["data"]!["door"]!.GetValue<string>()), Is.EqualTo((id, "open")));
    }

    [Test]
    public async Task CurlWebhookSigned_Verbatim_AcceptedAndFiresTheEvent()
    {
        var id = await CreateWebhookAsync(WebhookSecret);

        var output = await DocShell.BashAsync(DocPages.Examples()["curl-webhook-signed"], Environment(("WEBHOOK_ID", id), ("WEBHOOK_SECRET", WebhookSecret)));
        var data = (await _ws.ReceiveAsync(m => m["type"]!.GetValue<string>() == "event"))["event"]!["data"]!;

        Assert.That(output, Does.Not.Contain("signature"), "the hub refused the signed request");
        Assert.That((data["webhook_id"]!.GetValue<string>(), data["data"]!["door"]!.GetValue<string>()), Is.EqualTo((id, "open")));
    }

    private async Task<string> CreateWebhookAsync(string? secret)
    {
        var fields = new JsonObject { ["name"] = "Door" };
        if (secret is not null) fields["signing_secret"] = secret;
        var answer = await _ws.CallAsync("pihub/webhook/create", fields);
        Assert.That(answer["success"]!.GetValue<bool>(), Is.True, answer.ToJsonString());
        return answer["result"]!["webhook_id"]!.GetValue<string>();
    }
}
