using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Testing;

namespace PiHub.Server.Tests.History;

/// <summary>The README's history and logbook examples, run verbatim with a long-lived token.</summary>
public sealed partial class ReadmeHistoryExamplesTests
{
    private TestHub _hub = null!;
    private string _token = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _hub = await TestHub.StartAsync(new Dictionary<string, string?> { ["input_boolean:porch_light:name"] = "Porch light" });
        await _hub.OnboardAsync();
        var (ws, _) = await WsClient.AuthenticateAsync(_hub.WebSocketUri, _hub.AccessToken);
        await using (ws)
        {
            _token = (await ws.CallAsync("auth/long_lived_access_token", new JsonObject { ["client_name"] = "README", ["lifespan"] = 30 }))["result"]!.GetValue<string>();
        }

        using var client = _hub.Client(_token);
        await client.PostAsync("api/services/input_boolean/toggle", TestHub.Json("""{"entity_id":"input_boolean.porch_light"}"""));
    }

    [OneTimeTearDown]
    public Task StopAsync() => _hub.DisposeAsync().AsTask();

    [Test]
    public async Task CurlHistory_Verbatim_ListsThePorchLightsChanges()
    {
        var output = await BashAsync(Example("curl-history"));

        var rows = JsonNode.Parse(output)![0]!.AsArray();
        Assert.That(rows[0]!["entity_id"]!.GetValue<string>(), Is.EqualTo("input_boolean.porch_light"));
        Assert.That(rows.Select(r => r!["state"]!.GetValue<string>()), Does.Contain("on"));
    }

    [Test]
    public async Task CurlLogbook_Verbatim_NamesTheToken()
    {
        var output = await BashAsync(Example("curl-logbook"));

        var entry = JsonNode.Parse(output)!.AsArray().Last()!;
        Assert.That((entry["state"]!.GetValue<string>(), entry["context_client_name"]!.GetValue<string>()), Is.EqualTo(("on", "README")));
    }

    private static string Example(string name) =>
        Tagged().Matches(File.ReadAllText(RepoPaths.InRepo("README.md"))).Single(m => m.Groups["name"].Value == name).Groups["code"].Value;

    private async Task<string> BashAsync(string code)
    {
        var start = new ProcessStartInfo("bash", ["-euo", "pipefail", "-c", code]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["PIHUB_URL"] = _hub.Api.BaseUri.ToString().TrimEnd('/');
        start.Environment["TOKEN"] = _token;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(cts.Token);
        Assert.That(process.ExitCode, Is.Zero, await stderr);
        return await stdout;
    }

    [GeneratedRegex(@"<!-- readme-test: (?<name>[\w-]+) -->\s*```\w+\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex Tagged();
}
