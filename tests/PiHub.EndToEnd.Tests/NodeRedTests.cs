using System.Text.Json.Nodes;
using PiHub.Testing;

namespace PiHub.EndToEnd.Tests;

/// <summary>
/// Node-RED 4.1.8 with node-red-contrib-home-assistant-websocket 0.80.3, the most used third-party
/// Home Assistant client, against the published Native AOT binary: its server node connects (it asks
/// for every registry right after auth_ok and quits on any error) and stays connected, and its nodes
/// produce the messages they produce against Home Assistant. Nothing is faked on either side.
/// </summary>
[NonParallelizable]
public class NodeRedTests
{
    private static readonly Dictionary<string, string> HubSettings = new()
    {
        ["PIHUB__FLOORS__0__ID"] = "ground",
        ["PIHUB__FLOORS__0__NAME"] = "Ground floor",
        ["PIHUB__AREAS__0__ID"] = "porch",
        ["PIHUB__AREAS__0__NAME"] = "Porch",
        ["PIHUB__AREAS__0__FLOOR"] = "ground",
        ["PIHUB__AREAS__1__ID"] = "kitchen",
        ["PIHUB__AREAS__1__NAME"] = "Kitchen",
        ["PIHUB__LABELS__0__ID"] = "lights",
        ["PIHUB__LABELS__0__NAME"] = "Lights",
        ["PIHUB__INPUT_BOOLEAN__PORCH__AREA"] = "porch",
        ["PIHUB__INPUT_BOOLEAN__KITCHEN_LIGHT__NAME"] = "Kitchen light",
        ["PIHUB__INPUT_BOOLEAN__KITCHEN_LIGHT__AREA"] = "kitchen",
        ["PIHUB__INPUT_BOOLEAN__KITCHEN_LIGHT__LABELS__0"] = "lights",
    };

    private PiHubProcess _hub = null!;
    private HubApi _api = null!;
    private HttpClient _owner = null!;
    private NodeRed _nodeRed = null!;
    private DateTime _readyAt;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var binary = PublishedBinary.PathOf("linux-x64");
        var missing = NodeRed.Missing();
        Prerequisites.Require(missing is null,
            $"{missing} does not exist: Node-RED is not installed (npm ci in {NodeRed.Directory}, from its package-lock.json; scripts/test.sh does it).");

        _hub = await PiHubProcess.StartAsync(binary, [], settings: HubSettings);
        _api = new HubApi(_hub.BaseUri);
        _owner = await _api.OnboardAsync();
        var (ws, _) = await WsClient.AuthenticateAsync(_api.WebSocketUri, _api.AccessToken);
        string token;
        await using (ws)
        {
            token = (await ws.CallAsync("auth/long_lived_access_token", new JsonObject { ["client_name"] = "Node-RED", ["lifespan"] = 30 }))["result"]!.GetValue<string>();
        }

        _nodeRed = NodeRed.Start(_hub.BaseUri.ToString().TrimEnd('/'), token);
        await _nodeRed.WaitForAsync("client", p => Payload(p) == "ready", TimeSpan.FromSeconds(90));
        _readyAt = DateTime.UtcNow;
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_nodeRed is not null) await _nodeRed.DisposeAsync();
        _owner?.Dispose();
        _api?.Dispose();
        if (_hub is not null) await _hub.DisposeAsync();
    }

    private static string? Payload(JsonNode probe) => probe["payload"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private async Task<string> HubStateAsync(string entityId) =>
        (await HubApi.JsonAsync(await _owner.GetAsync($"api/states/{entityId}")))["state"]!.GetValue<string>();

    [Test]
    [Order(1)]
    public void ServerNode_Connects_ClientReachesReadyWithoutErrors()
    {
        var client = _nodeRed.Probes("client").Select(Payload).ToList();

        // "connected" is sent before the flows' nodes listen; these four come after the registries were asked for.
        Assert.That(client, Does.Contain("states_loaded").And.Contain("services_loaded").And.Contain("running").And.Contain("ready"));
        Assert.That(client, Does.Not.Contain("disconnected").And.Not.Contain("error"));
    }

    [Test]
    [Order(2)]
    public async Task CallServiceNode_TurnOnPorch_OutputNamesTheCallAndHubStateIsOn()
    {
        await _nodeRed.TriggerAsync("call-service");

        var output = await _nodeRed.WaitForAsync("call_service");

        Assert.That(output["payload"]!["domain"]!.GetValue<string>(), Is.EqualTo("input_boolean"));
        Assert.That(output["payload"]!["service"]!.GetValue<string>(), Is.EqualTo("turn_on"));
        Assert.That(output["payload"]!["target"]!["entity_id"]!.GetValue<string>(), Is.EqualTo("input_boolean.porch"));
        Assert.That(await HubStateAsync("input_boolean.porch"), Is.EqualTo("on"));
    }

    [Test]
    [Order(3)]
    public async Task StateChangedNode_PorchTurnedOn_SendsNewStateAndEvent()
    {
        var output = await _nodeRed.WaitForAsync("state_changed", p => Payload(p) == "on");

        Assert.That(output["data"]!["entity_id"]!.GetValue<string>(), Is.EqualTo("input_boolean.porch"));
        Assert.That(output["data"]!["old_state"]!["state"]!.GetValue<string>(), Is.EqualTo("off"));
        Assert.That(output["data"]!["new_state"]!["state"]!.GetValue<string>(), Is.EqualTo("on"));
    }

    [Test]
    [Order(4)]
    public async Task TriggerStateNode_PorchTurnedOn_ConstraintMetAndFires()
    {
        var output = await _nodeRed.WaitForAsync("trigger_state");

        Assert.That(Payload(output), Is.EqualTo("on"));
        Assert.That(output["topic"]!.GetValue<string>(), Is.EqualTo("input_boolean.porch"));
        Assert.That(output["data"]!["event"]!["old_state"]!["state"]!.GetValue<string>(), Is.EqualTo("off"));
    }

    [Test]
    [Order(5)]
    public async Task EventsAllNode_CallService_SeesCallWithItsTargetAndTheStateChange()
    {
        var call = await _nodeRed.WaitForAsync("events_all", p => p["event_type"]?.GetValue<string>() == "call_service");
        var change = await _nodeRed.WaitForAsync("events_all", p => p["event_type"]?.GetValue<string>() == "state_changed"
            && p["payload"]?["entity_id"]?.GetValue<string>() == "input_boolean.porch");

        Assert.That(call["payload"]!["event"]!["service_data"]!["entity_id"]!.GetValue<string>(), Is.EqualTo("input_boolean.porch"));
        Assert.That(change["payload"]!["event"]!["new_state"]!["state"]!.GetValue<string>(), Is.EqualTo("on"));
    }

    [Test]
    [Order(6)]
    public async Task CurrentStateNode_Porch_On()
    {
        await _nodeRed.TriggerAsync("current-state");

        var output = await _nodeRed.WaitForAsync("current_state");

        Assert.That(Payload(output), Is.EqualTo("on"));
        Assert.That(output["data"]!["entity_id"]!.GetValue<string>(), Is.EqualTo("input_boolean.porch"));
        Assert.That(output["data"]!["attributes"]!["friendly_name"]!.GetValue<string>(), Is.EqualTo("Porch light"));
    }

    [Test]
    [Order(7)]
    public async Task GetEntitiesNode_ByState_OnlyTheInputBooleanThatIsOn()
    {
        await _nodeRed.TriggerAsync("entities-by-state");

        var output = await _nodeRed.WaitForAsync("entities_by_state");

        Assert.That(output["payload"]!.AsArray().Select(e => e!["entity_id"]!.GetValue<string>()), Is.EqualTo(new[] { "input_boolean.porch" }));
    }

    [Test]
    [Order(8)]
    public async Task GetEntitiesNode_ByArea_TheKitchenLight()
    {
        await _nodeRed.TriggerAsync("entities-by-area");

        var output = await _nodeRed.WaitForAsync("entities_by_area");

        Assert.That(output["payload"]!.AsArray().Select(e => e!["entity_id"]!.GetValue<string>()), Is.EqualTo(new[] { "input_boolean.kitchen_light" }));
    }

    [Test]
    [Order(9)]
    public async Task FireEventNode_FiresEvent_EventsNodesReceiveItsData()
    {
        await _nodeRed.TriggerAsync("fire-event");

        await _nodeRed.WaitForAsync("fire_event");
        var one = await _nodeRed.WaitForAsync("event");
        var all = await _nodeRed.WaitForAsync("events_all", p => p["event_type"]?.GetValue<string>() == "pihub_nodered");

        Assert.That(one["payload"]!["event"]!["from"]!.GetValue<string>(), Is.EqualTo("node-red"));
        Assert.That(all["payload"]!["event"]!["from"]!.GetValue<string>(), Is.EqualTo("node-red"));
    }

    /// <summary>
    /// The node asks for a text answer, so it cannot show PiHub's reason (the body says it); what matters is
    /// a clear 400 from an endpoint that exists, not the empty 404 of a hub that seems broken.
    /// </summary>
    [Test]
    [Order(11)]
    public async Task RenderTemplateNode_AnyTemplate_FailsWith400NotFound404()
    {
        await _nodeRed.TriggerAsync("render-template");

        var error = await _nodeRed.WaitForAsync("error", p => p["error"]?["source"]?.GetValue<string>() == "api-render-template");

        Assert.That(error["error"]!["message"]!.GetValue<string>(), Does.Contain("status code 400"));
        Assert.That(_nodeRed.Probes("render_template"), Is.Empty);
    }

    [Test]
    [Order(100)]
    public async Task ServerNode_After30Seconds_StillConnectedNoNodeErrorsNoUnhandledRejection()
    {
        var wait = _readyAt + TimeSpan.FromSeconds(30) - DateTime.UtcNow;
        if (wait > TimeSpan.Zero) await Task.Delay(wait);
        // A round trip through Node-RED's connection proves it is still up, not only that it did not say otherwise.
        var answered = _nodeRed.Probes("current_state").Count;
        await _nodeRed.TriggerAsync("current-state");

        await _nodeRed.WaitForAsync("current_state", skip: answered);
        var client = _nodeRed.Probes("client").Select(Payload).ToList();
        // The one expected error is the template node's.
        var errors = _nodeRed.Probes("error").Where(e => e["error"]?["source"]?.GetValue<string>() != "api-render-template").ToList();

        Assert.That(_nodeRed.HasExited, Is.False, _nodeRed.Log);
        Assert.That(client, Does.Not.Contain("disconnected").And.Not.Contain("error"), _nodeRed.Log);
        Assert.That(errors.Select(e => e.ToJsonString()), Is.Empty, _nodeRed.Log);
        Assert.That(_nodeRed.Log, Does.Not.Contain("Unhandled").IgnoreCase.And.Not.Contain("Uncaught Exception"));
        Assert.That(_hub.HasExited, Is.False, _hub.Output);
    }
}
