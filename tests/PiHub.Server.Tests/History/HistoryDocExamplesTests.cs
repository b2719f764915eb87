using System.Text.Json.Nodes;
using PiHub.Server.Tests.Docs;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Testing;

namespace PiHub.Server.Tests.History;

/// <summary>The history and logbook examples of docs/api.md, run verbatim with a long-lived token.</summary>
public sealed class HistoryDocExamplesTests() : OnboardedHubTests(HubLifetime.PerFixture)
{
    private string _token = null!;

    protected override Dictionary<string, string?> Settings() => new() { ["input_boolean:porch_light:name"] = "Porch light" };

    protected override async Task OnHubStartedAsync()
    {
        var (ws, _) = await WsClient.AuthenticateAsync(Hub.WebSocketUri, Hub.AccessToken);
        await using (ws)
        {
            _token = (await ws.CallAsync("auth/long_lived_access_token", new JsonObject { ["client_name"] = "README", ["lifespan"] = 30 }))["result"]!.GetValue<string>();
        }

        using var client = Hub.Client(_token);
        using var toggled = await client.PostAsync("api/services/input_boolean/toggle", TestHub.Json("""{"entity_id":"input_boolean.porch_light"}"""));
        Assert.That((int)toggled.StatusCode, Is.EqualTo(200), await toggled.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task CurlHistory_Verbatim_ListsThePorchLightsChanges()
    {
        var output = await DocShell.BashAsync(DocPages.Examples()["curl-history"], Environment());

        var rows = JsonNode.Parse(output)![0]!.AsArray();
        Assert.That(rows[0]!["entity_id"]!.GetValue<string>(), Is.EqualTo("input_boolean.porch_light"));
        Assert.That(rows.Select(r => r!["state"]!.GetValue<string>()), Does.Contain("on"));
    }

    [Test]
    public async Task CurlLogbook_Verbatim_NamesTheToken()
    {
        var output = await DocShell.BashAsync(DocPages.Examples()["curl-logbook"], Environment());

        var entry = JsonNode.Parse(output)!.AsArray().Last()!;
        Assert.That((entry["state"]!.GetValue<string>(), entry["context_client_name"]!.GetValue<string>()), Is.EqualTo(("on", "README")));
    }

    private Dictionary<string, string> Environment() =>
        new() { ["PIHUB_URL"] = Hub.Api.BaseUri.ToString().TrimEnd('/'), ["TOKEN"] = _token };
}
