using System.Net;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Testing;

namespace PiHub.Server.Tests.Regressions;

/// <summary>
/// "Node-RED's render-template node fails with 'Request failed with status code 404' and nothing else."
/// <c>POST /api/template</c> answered an empty 404 and <c>render_template</c> <c>unknown_command</c>, as
/// if the hub did not exist or the client were broken. Both now say PiHub renders no templates and
/// what to use instead, in Home Assistant's error shapes for a template that cannot be rendered.
/// </summary>
public class NodeRedTemplateNode_EmptyNotFoundTests() : OnboardedHubTests(HubLifetime.PerFixture)
{
    [Test]
    public async Task RestTemplate_AnyTemplate_400ErrorRenderingTemplateWithReason()
    {

        var response = await Owner.PostAsync("api/template", TestHub.Json("""{"template":"{{ states('input_boolean.porch') }}"}"""));
        var body = await TestHub.JsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/json"));
        Assert.That(body["message"]!.GetValue<string>(), Does.StartWith("Error rendering template: PiHub does not render templates").And.Contain("GET /api/states/"));
        Assert.That(body["code"]!.GetValue<string>(), Is.EqualTo("templates_not_supported"));
    }

    [Test]
    public async Task RestTemplate_NoToken_401()
    {

        var response = await Hub.Http.PostAsync("api/template", TestHub.Json("""{"template":"x"}"""));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task WebSocketRenderTemplate_TemplateErrorWithReason()
    {
        var (ws, _) = await WsClient.AuthenticateAsync(Hub.WebSocketUri, Hub.AccessToken);
        await using var _ = ws;

        var answer = await ws.CallAsync("render_template", new System.Text.Json.Nodes.JsonObject { ["template"] = "{{ now() }}" });

        Assert.That(answer["success"]!.GetValue<bool>(), Is.False);
        Assert.That(answer["error"]!["code"]!.GetValue<string>(), Is.EqualTo("template_error"));
        Assert.That(answer["error"]!["message"]!.GetValue<string>(), Does.StartWith("PiHub does not render templates"));
    }
}
