using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using PiHub.Testing;

namespace PiHub.EndToEnd.Tests.Browser;

/// <summary>
/// The dashboard in a real browser (Debian's chromium driven by playwright-core) against the published
/// Native AOT binary: the journey of issue 13 end to end, and onboarding in recovery mode. axe-core runs
/// on every page; screenshots and figures land in artifacts/screenshots/.
/// </summary>
[TestFixture]
[Category("Dashboard")]
[NonParallelizable]
public class DashboardBrowserTests
{
    private static readonly TimeSpan s_journeyTimeout = TimeSpan.FromMinutes(15);

    [Test]
    public async Task Journey_OnboardingThroughOAuth_EveryStepPasses()
    {
        var (binary, chromium) = BrowserScript.Prerequisites();
        // Browsers all connect from 127.0.0.1, which is never banned: the hub trusts it as a reverse proxy, and
        // the browsers standing for other machines send X-Forwarded-For 127.0.0.2 (to be banned) or 127.0.0.3
        // (inside the trusted network 127.0.0.3/32).
        await using var hub = await PiHubProcess.StartAsync(binary, [], settings: new Dictionary<string, string>
        {
            ["PIHUB__HTTP__TRUSTED_PROXIES__0"] = "127.0.0.1/32",
            ["PIHUB__AUTH__TRUSTED_NETWORKS__0__CIDR"] = "127.0.0.3/32",
            ["PIHUB__AUTH__TRUSTED_NETWORKS__0__USERS__0"] = "all",
            // The simulated brownout is recorded 1 s after power is back, not the default 10 s.
            ["PIHUB__POWER__RECOVERY_S"] = "1",
        });
        var url = hub.BaseUri.ToString().TrimEnd('/');
        var artifacts = BrowserScript.Artifacts("journey");

        var result = await BrowserScript.RunAsync("journey.mjs",
            new { a = url, chromium, artifacts }, s_journeyTimeout);

        TestContext.Out.WriteLine(result.Output);
        Assert.That(result.ExitCode, Is.Zero, result.Explain() + "\n" + hub.Output);
        var summary = result.Step("summary")!;
        TestContext.Out.WriteLine($"toggle seen in the second context after {result.Step("toggle seen live in a second context")?["latency_ms"]} ms");
        TestContext.Out.WriteLine($"cold loads and first-visit bytes: {summary["loads"]?.ToJsonString()}");

        // The long-lived token the page showed once works for a plain HTTP client too.
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{url}/api/states");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", summary["token"]!.GetValue<string>());
        using var response = await http.SendAsync(request);
        var states = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(states.Select(s => s!["entity_id"]!.GetValue<string>()), Does.Contain("input_boolean.porch"));
        foreach (var shot in Directory.GetFiles(artifacts, "*-desktop.png")) TestContext.AddTestAttachment(shot);
    }

    [Test]
    public async Task Onboarding_RecoveryMode_AsksForTheCodeAndCreatesTheOwner()
    {
        var (binary, chromium) = BrowserScript.Prerequisites();
        string dataDir;
        await using (var first = await PiHubProcess.StartAsync(binary, []))
        {
            dataDir = first.DataDir;
            using var api = new HubApi(first.BaseUri);
            await api.OnboardAsync();
            Assert.That(await first.StopAsync(), Is.Zero, first.Output);
        }

        // The user database is lost and there is no snapshot to restore: onboarding reopens in recovery mode.
        await File.WriteAllBytesAsync(Path.Combine(dataDir, "auth.db"), new byte[16384]);
        File.Delete(Path.Combine(dataDir, "auth-log.db"));
        var snapshots = Path.Combine(dataDir, "snapshots");
        if (Directory.Exists(snapshots)) Directory.Delete(snapshots, recursive: true);
        await using var hub = await PiHubProcess.StartAsync(binary, [], dataDir);
        var code = (await File.ReadAllLinesAsync(Path.Combine(dataDir, "recovery-code.txt")))[0].Trim();

        var result = await BrowserScript.RunAsync("recovery.mjs",
            new { a = hub.BaseUri.ToString().TrimEnd('/'), code, chromium, artifacts = BrowserScript.Artifacts("recovery") },
            TimeSpan.FromMinutes(5));

        TestContext.Out.WriteLine(result.Output);
        Assert.That(result.ExitCode, Is.Zero, result.Explain() + "\n" + hub.Output);
        Assert.That(result.Step("recovery mode: the right code creates the owner")?["ok"]?.GetValue<bool>(), Is.True);
    }
}
