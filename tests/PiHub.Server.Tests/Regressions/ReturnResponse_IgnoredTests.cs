using System.Net;
using System.Text.Json.Nodes;
using PiHub.Core.Hub;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Testing;

namespace PiHub.Server.Tests.Regressions;

/// <summary>
/// "My script asked for the service's response and got null, as if it had one." PiHub ignored
/// <c>return_response</c>; Home Assistant refuses it, before running anything, for a service that
/// returns nothing: over WebSocket with its <c>service_does_not_support_response</c> validation error,
/// over REST with a 400.
/// </summary>
public class ReturnResponse_IgnoredTests() : OnboardedHubTests(HubLifetime.PerFixture)
{
    private string Porch => Hub.Service<HubCore>().States.Get("input_boolean.porch")!.Value;

    [Test]
    public async Task WebSocket_ReturnResponseTrue_HomeAssistantsValidationErrorAndNothingRuns()
    {
        var (ws, _) = await WsClient.AuthenticateAsync(Hub.WebSocketUri, Hub.AccessToken);
        await using var _ = ws;
        var before = Porch;

        var answer = await ws.CallAsync("call_service", new JsonObject
        {
            ["domain"] = "input_boolean",
            ["service"] = "toggle",
            ["target"] = new JsonObject { ["entity_id"] = "input_boolean.porch" },
            ["return_response"] = true,
        });

        Assert.That(answer["success"]!.GetValue<bool>(), Is.False);
        var error = answer["error"]!;
        Assert.That(error["code"]!.GetValue<string>(), Is.EqualTo("service_validation_error"));
        Assert.That(error["message"]!.GetValue<string>(), Is.EqualTo("Validation error: An action which does not return responses can't be called with return_response=True"));
        Assert.That(error["translation_domain"]!.GetValue<string>(), Is.EqualTo("homeassistant"));
        Assert.That(error["translation_key"]!.GetValue<string>(), Is.EqualTo("service_does_not_support_response"));
        Assert.That(error["translation_placeholders"]!.ToJsonString(), Is.EqualTo("""{"return_response":"return_response=True"}"""));
        Assert.That(Porch, Is.EqualTo(before));
    }

    [Test]
    public async Task WebSocket_ReturnResponseFalse_CallRuns()
    {
        var (ws, _) = await WsClient.AuthenticateAsync(Hub.WebSocketUri, Hub.AccessToken);
        await using var _ = ws;
        var before = Porch;

        var answer = await ws.CallAsync("call_service", new JsonObject
        {
            ["domain"] = "input_boolean",
            ["service"] = "toggle",
            ["target"] = new JsonObject { ["entity_id"] = "input_boolean.porch" },
            ["return_response"] = false,
        });

        Assert.That(answer["success"]!.GetValue<bool>(), Is.True, answer.ToJsonString());
        Assert.That(Porch, Is.Not.EqualTo(before));
    }

    [TestCase("api/services/input_boolean/toggle?return_response")]
    [TestCase("api/services/input_boolean/toggle?return_response=0")]
    public async Task Rest_ReturnResponseInQuery_400SayingRemoveIt(string path)
    {
        var before = Porch;

        var response = await Owner.PostAsync(path, TestHub.Json("""{"entity_id":"input_boolean.porch"}"""));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var body = await TestHub.JsonAsync(response);
        Assert.That(body["message"]!.GetValue<string>(), Is.EqualTo("Service does not support responses. Remove return_response from request."));
        Assert.That(body["code"]!.GetValue<string>(), Is.EqualTo("service_validation_error"));
        Assert.That(Porch, Is.EqualTo(before));
    }
}
