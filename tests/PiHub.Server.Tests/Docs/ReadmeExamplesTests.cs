using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Testing;

namespace PiHub.Server.Tests.Docs;

/// <summary>The README's examples, run verbatim against a real hub with a real long-lived token.</summary>
public partial class ReadmeExamplesTests() : OnboardedHubTests(HubLifetime.PerFixture)
{
    private string _token = null!;

    protected override Dictionary<string, string?> Settings() => new() { ["input_boolean:porch_light:name"] = "Porch light" };

    protected override async Task OnHubStartedAsync()
    {
        var (ws, _) = await WsClient.AuthenticateAsync(Hub.WebSocketUri, Hub.AccessToken);
        await using (ws)
        {
            var result = await ws.CallAsync("auth/long_lived_access_token", new JsonObject { ["client_name"] = "README", ["lifespan"] = 30 });
            _token = result["result"]!.GetValue<string>();
        }
    }

    private static Dictionary<string, string> Examples()
    {
        var readme = File.ReadAllText(RepoPaths.InRepo("README.md"));
        return Tagged().Matches(readme).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["code"].Value);
    }

    [Test]
    public void Readme_HasTheExamplesTheseTestsRun()
    {
        Assert.That(Examples().Keys, Is.SupersetOf(new[] { "curl-states", "curl-set-state", "tasker-toggle", "curl-event", "node" }));
    }

    [Test]
    public async Task CurlStates_Verbatim_ListsStates()
    {
        var output = await BashAsync(Examples()["curl-states"]);

        Assert.That(JsonNode.Parse(output)!.AsArray().Select(s => s!["entity_id"]!.GetValue<string>()), Does.Contain("input_boolean.porch_light"));
    }

    [Test]
    public async Task CurlSetState_Verbatim_CreatesSensor()
    {
        var output = await BashAsync(Examples()["curl-set-state"]);

        Assert.That(JsonNode.Parse(output)!["state"]!.GetValue<string>(), Is.EqualTo("21.5"));
        Assert.That(Hub.Service<PiHub.Core.Hub.HubCore>().States.Get("sensor.kitchen_temperature")!.Value, Is.EqualTo("21.5"));
    }

    [Test]
    public async Task TaskerPost_Authentication_TogglesPorchLight()
    {
        var states = Hub.Service<PiHub.Core.Hub.HubCore>().States;
        var before = states.Get("input_boolean.porch_light")!.Value;

        var output = await BashAsync(Examples()["tasker-toggle"]);

        Assert.That(JsonNode.Parse(output)!.AsArray(), Has.Count.EqualTo(1), output);
        Assert.That(states.Get("input_boolean.porch_light")!.Value, Is.Not.EqualTo(before));
    }

    [Test]
    public async Task CurlEvent_Verbatim_Fired()
    {
        var output = await BashAsync(Examples()["curl-event"]);

        Assert.That(JsonNode.Parse(output)!["message"]!.GetValue<string>(), Is.EqualTo("Event phone_ringing fired."));
    }

    [Test]
    public async Task NodeExample_Verbatim_TogglesAndSeesState()
    {
        var node = Prerequisites.Node();
        var script = Path.Combine(RepoPaths.NodeDir, $"readme-{Guid.NewGuid():N}.mjs");
        await File.WriteAllTextAsync(script, Examples()["node"]);
        try
        {
            var start = new ProcessStartInfo(node, [script]) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoPaths.NodeDir };
            start.Environment["PIHUB_URL"] = Hub.Api.BaseUri.ToString().TrimEnd('/');
            start.Environment["TOKEN"] = _token;
            var (code, output) = await RunAsync(start);

            Assert.That(code, Is.Zero, output);
            Assert.That(output, Does.Contain("porch light is"));
        }
        finally
        {
            File.Delete(script);
        }
    }

    private async Task<string> BashAsync(string code)
    {
        Prerequisites.Tool("curl", "curl");
        var start = new ProcessStartInfo("bash", ["-euo", "pipefail", "-c", code]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["PIHUB_URL"] = Hub.Api.BaseUri.ToString().TrimEnd('/');
        start.Environment["TOKEN"] = _token;
        var (exit, output) = await RunAsync(start);
        Assert.That(exit, Is.Zero, output);
        return output;
    }

    private static async Task<(int Code, string Output)> RunAsync(ProcessStartInfo start)
    {
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    [GeneratedRegex(@"<!-- readme-test: (?<name>[\w-]+) -->\s*```\w+\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex Tagged();
}
