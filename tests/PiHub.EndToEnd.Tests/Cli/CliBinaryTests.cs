using System.Net;
using System.Text.Json.Nodes;
using PiHub.Testing;

namespace PiHub.EndToEnd.Tests.Cli;

/// <summary>The published pihub-cli against the published pihub: running (admin socket) and stopped (store files).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CliBinaryTests
{
    private const string Password = "an e2e password 1";

    [TestCase(true)]
    [TestCase(false)]
    public async Task EveryCommand_ServiceRunningOrStopped_DoesItsJob(bool running)
    {
        var server = CliProcess.Server();
        var hub = await PiHubProcess.StartAsync(server, []);
        var data = hub.DataDir;
        using (var api = new HubApi(hub.BaseUri)) await api.OnboardAsync();
        if (!running) Assert.That(await hub.StopAsync(), Is.Zero);
        var backup = Path.Combine(data, "..", $"backup-{Guid.NewGuid():N}.db");
        try
        {
            async Task<string> Ok(string? stdin, params string[] args)
            {
                var (exit, output, error) = await CliProcess.RunAsync(data, stdin, args);
                Assert.That(exit, Is.Zero, $"pihub-cli {string.Join(' ', args)}:\n{output}{error}");
                return output;
            }

            async Task Fails(int code, string expected, params string[] args)
            {
                var (exit, output, error) = await CliProcess.RunAsync(data, null, args);
                Assert.That(exit, Is.EqualTo(code), $"pihub-cli {string.Join(' ', args)}:\n{output}{error}");
                Assert.That(error, Does.Contain(expected));
            }

            Assert.That(await Ok(null, "status"), Does.Contain(running ? "Service:      running" : "Service:      stopped"));
            await Ok(Password + "\n", "users", "add", "alice", "--name", "Alice", "--password-stdin");
            Assert.That(await Ok(null, "users", "list"), Does.Contain("alice"));
            await Ok(Password + "\n", "users", "passwd", "alice", "--password-stdin");
            await Ok(null, "users", "rename", "alice", "alicia");
            await Ok(null, "users", "disable", "alicia");
            await Ok(null, "users", "enable", "alicia");
            Assert.That(await Ok(null, "owner", "show"), Does.Contain("The owner is owner"));
            await Ok(null, "owner", "transfer", "alicia");
            await Ok(null, "owner", "transfer", "owner");
            await Ok(null, "mfa", "reset", "owner");
            await Fails(1, "no authenticator app", "mfa", "recovery-codes", "owner");
            var token = (await Ok(null, "tokens", "create", "owner", "--client", "e2e", "--days", "1")).Trim().Split('\n')[^1];
            var id = JsonNode.Parse(await Ok(null, "tokens", "list", "--user", "owner", "--json"))!["tokens"]!.AsArray()
                .Single(t => t!["client"]?.GetValue<string>() == "e2e")!["id"]!.GetValue<string>();
            if (running)
            {
                using var client = new HubApi(hub.BaseUri).Client(token);
                Assert.That((await client.GetAsync("api/")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
            }

            await Ok(null, "tokens", "revoke", id);
            Assert.That(await Ok(null, "bans", "list"), Does.Contain("No address is banned."));
            await Ok(null, "bans", "lift", "--all");
            Assert.That(await Ok(null, "onboarding", "status"), Does.Contain("Onboarding is done"));
            await Fails(1, "pihub-cli users passwd <username>", "onboarding", "code");
            Assert.That(await Ok(null, "db", "check"), Does.Contain("healthy"));
            await Ok(null, "db", "snapshots");
            await Ok(null, "db", "backup", backup);
            await Ok(null, "users", "remove", "alicia");
            await Ok(null, "db", "restore", backup);
            Assert.That(await Ok(null, "users", "list"), Does.Contain("alicia"));
            await Ok(null, "config", "check");
            await Fails(2, "--yes", "onboarding", "reset");
            var reset = JsonNode.Parse(await Ok(null, "onboarding", "reset", "--yes", "--json"))!;
            Assert.That(reset["onboarding_code"]!.GetValue<string>(), Does.Match("^[A-Z2-7]{5}(-[A-Z2-7]{5}){3}$"));
            Assert.That(await Ok(null, "status"), Does.Contain("open in recovery mode"));

            // Last: after a simulated failure the hub refuses changes until power.recovery_s of good power.
            // Dev mode (no config file) runs on simulated hardware with the power-fail pin on GPIO 6.
            if (running)
            {
                Assert.That(await Ok(null, "power", "simulate", "fail"), Does.Contain("is asserted: changes are paused and the stores flushed"));
                Assert.That(await Ok(null, "status"), Does.Contain("Power:        power failing since"));
                Assert.That(await Ok(null, "power", "simulate", "restore"), Does.Contain("is released: changes resume after 10 s of good power"));
            }
            else
            {
                Assert.That(await Ok(null, "status"), Does.Contain("Power:        not watched while PiHub is stopped (configured: power-fail pin GPIO 6"));
                await Fails(4, "PiHub is not running", "power", "simulate", "fail");
            }
        }
        finally
        {
            await hub.DisposeAsync();
            File.Delete(backup);
        }
    }

    [Test]
    public async Task DevMode_NoConfig_FindsDataAndSocketInTheCurrentFolder()
    {
        var folder = Directory.CreateTempSubdirectory("pihub-dev-").FullName;
        var hub = await PiHubProcess.StartAsync(CliProcess.Server(), [], dataDir: Path.Combine(folder, ".pihub"));
        try
        {
            var (exit, output, error) = await CliProcess.RunInAsync(folder, new Dictionary<string, string>(), null, CliProcess.Binary(), "status");

            Assert.That(exit, Is.Zero, output + error);
            Assert.That(output, Does.Contain($"running; pihub-cli talks to it over {folder}/.pihub/admin.sock")
                .And.Contain("Config:       embedded defaults")
                .And.Contain($"Data folder:  {folder}/.pihub"));
        }
        finally
        {
            await hub.DisposeAsync();
        }
    }

    [Test]
    public async Task NotRoot_ServiceRunning_NotPermitted3()
    {
        if (Environment.UserName != "root" || !File.Exists("/usr/bin/setpriv")) Assert.Ignore("Needs root and setpriv (util-linux) to run pihub-cli as another user.");
        var hub = await PiHubProcess.StartAsync(CliProcess.Server(), []);
        try
        {
            // Let nobody reach the socket file, so the service's own peer check is what refuses.
            File.SetUnixFileMode(hub.DataDir, (UnixFileMode)0b111_101_101);
            File.SetUnixFileMode(Path.Combine(hub.DataDir, "admin.sock"), (UnixFileMode)0b110_110_110);
            var cli = CliProcess.Binary();
            File.SetUnixFileMode(Path.GetDirectoryName(cli)!, (UnixFileMode)0b111_101_101);

            var (exit, output, error) = await CliProcess.RunInAsync("/", new Dictionary<string, string> { ["PIHUB__STORAGE__DATA_DIR"] = hub.DataDir }, null,
                "/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", cli, "users", "list");

            Assert.That(exit, Is.EqualTo(3), output + error);
            Assert.That(error, Does.Contain("User id 65534 may not administer PiHub").And.Contain("sudo pihub-cli"));
        }
        finally
        {
            await hub.DisposeAsync();
        }
    }
}
