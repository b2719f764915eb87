using System.Net;
using System.Text.Json.Nodes;
using PiHub.Testing;

namespace PiHub.EndToEnd.Tests;

/// <summary>
/// The published binaries, started as processes: the Native AOT build and the trimmed JIT fallback
/// must pass the same tests. A payload type missing from a JSON source-generation context is a
/// 500 only in a trimmed build, so every endpoint is exercised here.
/// </summary>
[TestFixture("linux-x64")]
[TestFixture("linux-x64-jit")]
[Parallelizable(ParallelScope.None)]
public class BinaryTests(string flavour)
{
    private string _binary = null!;

    [OneTimeSetUp]
    public void FindBinary() => _binary = PublishedBinary.PathOf(flavour);

    [Test]
    public async Task HomeAssistantJsClient_FullFlow_EveryStepPasses()
    {
        await using var hub = await PiHubProcess.StartAsync(_binary, []);

        var result = await NodeScript.RunAsync("flow.mjs", TimeSpan.FromSeconds(60), hub.BaseUri.ToString().TrimEnd('/'));

        Assert.That(result.ExitCode, Is.Zero, result.Output + result.Error + hub.Output);
        Assert.That(result.Output, Does.Contain("\"step\":\"bad token\""));
    }

    [Test]
    public async Task EveryEndpoint_Exercised_NoServerError()
    {
        await using var hub = await PiHubProcess.StartAsync(_binary, []);
        using var api = new HubApi(hub.BaseUri);

        var statuses = await EndpointTour.RunAsync(api);

        Assert.That(statuses.Where(s => (int)s.Status >= 500).Select(s => $"{s.What}: {(int)s.Status}"), Is.Empty, hub.Output);
        Assert.That(statuses.Where(s => !s.AsExpected).Select(s => $"{s.What}: {(int)s.Status} {s.Body}"), Is.Empty, hub.Output);
    }

    [Test]
    public async Task Restart_AfterCleanStop_OwnerCanStillLogIn()
    {
        string dataDir;
        await using (var first = await PiHubProcess.StartAsync(_binary, []))
        {
            dataDir = first.DataDir;
            using var api = new HubApi(first.BaseUri);
            await api.OnboardAsync();
            Assert.That(await first.StopAsync(), Is.Zero, first.Output);
        }

        await using var second = await PiHubProcess.StartAsync(_binary, [], dataDir);
        using var again = new HubApi(second.BaseUri);
        var tokens = await again.LoginAsync("owner", HubApi.OwnerPassword);

        Assert.That(tokens["access_token"]!.GetValue<string>(), Is.Not.Empty);
    }

    [Test]
    public async Task Restart_AfterKill9_OwnerCanStillLogIn()
    {
        string dataDir;
        await using (var first = await PiHubProcess.StartAsync(_binary, []))
        {
            dataDir = first.DataDir;
            using var api = new HubApi(first.BaseUri);
            await api.OnboardAsync();
            first.Kill();
        }

        await using var second = await PiHubProcess.StartAsync(_binary, [], dataDir);
        using var again = new HubApi(second.BaseUri);
        var tokens = await again.LoginAsync("owner", HubApi.OwnerPassword);

        Assert.That(tokens["access_token"]!.GetValue<string>(), Is.Not.Empty);
    }

    [Test]
    public async Task InvalidConfig_ExitsNonZeroNamingKeyAndWritesNothing()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "pihub-badconfig-" + Guid.NewGuid().ToString("N"));

        var (exitCode, output) = await PiHubProcess.RunToExitAsync(_binary, [], new Dictionary<string, string>
        {
            ["PIHUB__HTTP__SERVER_PORT"] = "eighty",
            ["PIHUB__STORAGE__DATA_DIR"] = dataDir,
        });

        Assert.That(exitCode, Is.EqualTo(78));
        Assert.That(output, Does.Contain("http.server_port").And.Contain("eighty").And.Contain("0 to 65535"));
        Assert.That(Directory.Exists(dataDir), Is.False, "nothing may be written before the config is valid");
    }

    [Test]
    public async Task SecondInstance_SameDataDir_RefusedNamingHolder()
    {
        await using var first = await PiHubProcess.StartAsync(_binary, []);

        var (exitCode, output) = await PiHubProcess.RunToExitAsync(_binary, [], new Dictionary<string, string>
        {
            ["PIHUB__STORAGE__DATA_DIR"] = first.DataDir,
            ["PIHUB__HTTP__SERVER_HOST"] = "127.0.0.1",
            ["PIHUB__HTTP__SERVER_PORT"] = "0",
        });

        Assert.That(exitCode, Is.Not.Zero);
        Assert.That(output, Does.Contain(first.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }
}
