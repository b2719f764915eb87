using System.Text.Json.Nodes;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Testing;

namespace PiHub.Server.Tests.Docs;

/// <summary>docs/power-gpio.md's dev-mode example, run verbatim against a hub on simulated power and GPIO.</summary>
public sealed class PowerDocExamplesTests() : OnboardedHubTests(HubLifetime.PerFixture)
{
    private string _token = null!;

    protected override Dictionary<string, string?> Settings() => new()
    {
        ["power:voltage:source"] = "none",
        ["power:recovery_s"] = "0",
        ["gpio:binary_sensors:0:name"] = "front_door",
        ["gpio:binary_sensors:0:pin"] = "27",
    };

    protected override async Task OnHubStartedAsync()
    {
        var (ws, _) = await WsClient.AuthenticateAsync(Hub.WebSocketUri, Hub.AccessToken);
        await using (ws)
        {
            _token = (await ws.CallAsync("auth/long_lived_access_token", new JsonObject { ["client_name"] = "docs", ["lifespan"] = 30 }))["result"]!.GetValue<string>();
        }
    }

    [Test]
    public async Task CurlPowerSimulate_Verbatim_FailsRestoresAndDrivesThePin()
    {
        var environment = new Dictionary<string, string> { ["PIHUB_URL"] = Hub.Api.BaseUri.ToString().TrimEnd('/'), ["TOKEN"] = _token };

        var output = await DocShell.BashAsync(DocPages.Examples()["curl-power-simulate"], environment);

        Assert.That(output, Does.Contain("\"state\":\"fail\",\"failing\":true").And.Contain("\"state\":\"restore\"").And.Contain("GPIO 27 is now low"));
        Assert.That(output, Does.Not.Contain("\"code\""), "one of the three requests was refused");
    }
}
