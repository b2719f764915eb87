using System.Text.Json.Nodes;
using PiHub.Cli.Tests.Infrastructure;
using PiHub.Testing;

namespace PiHub.Cli.Tests.Commands;

/// <summary><c>status</c>, <c>onboarding …</c> and <c>db …</c>, with the service running and stopped.</summary>
public sealed class StoreCommandTests(HubMode mode) : CliTestBase(mode)
{
    [Test]
    public async Task Status_SaysWhetherServiceRunsAndWhereEverythingIs()
    {
        await EnterModeAsync();

        var run = await Hub.CliAsync("status");

        AssertOk(run);
        Assert.That(run.Out, Does.Contain(Mode == HubMode.Running ? "Service:      running" : "Service:      stopped"));
        Assert.That(run.Out, Does.Contain($"Config:       {Hub.ConfigFile}")
            .And.Contain($"Credentials:  {Path.Combine(Hub.DataDir, "auth.db")}")
            .And.Contain($"Snapshots:    {Path.Combine(Hub.DataDir, "snapshots")}")
            .And.Contain("Store:        ok, generation 2")
            .And.Contain("Owner:        owner (Owner)")
            .And.Contain("Users:        1 (0 with MFA)"));
    }

    [Test]
    public async Task StatusJson_ServiceRunningFlagAndPaths()
    {
        await EnterModeAsync();

        var run = await Hub.CliAsync("status", "--json");

        AssertOk(run);
        var status = JsonNode.Parse(run.Out)!;
        Assert.That(status["service_running"]!.GetValue<bool>(), Is.EqualTo(Mode == HubMode.Running));
        Assert.That(status["hub"]!["auth_file"]!.GetValue<string>(), Is.EqualTo(Path.Combine(Hub.DataDir, "auth.db")));
    }

    [Test]
    public async Task OnboardingStatus_OwnerExists_Done()
    {
        await EnterModeAsync();

        var run = await Hub.CliAsync("onboarding", "status");

        AssertOk(run);
        Assert.That(run.Out, Does.Contain("Onboarding is done: owner is the owner."));
    }

    [Test]
    public async Task OnboardingCode_OwnerExists_Failed1NamingUsersPasswd()
    {
        await EnterModeAsync();

        var run = await Hub.CliAsync("onboarding", "code");

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Failed), run.ToString);
        Assert.That(run.Error, Does.Contain("pihub-cli users passwd <username>"));
    }

    [Test]
    public async Task OnboardingReset_WithoutYes_Usage2NothingRemoved()
    {
        await EnterModeAsync();

        var run = await Hub.CliAsync("onboarding", "reset");

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Usage), run.ToString);
        Assert.That(run.Error, Does.Contain("--yes"));
        Assert.That((await Hub.CliAsync("users", "list")).Out, Does.Contain("owner"));
    }

    [Test]
    public async Task OnboardingResetYes_NewOwnerNeedsTheCode_SnapshotUndoes()
    {
        await EnterModeAsync();

        var run = await Hub.CliAsync("onboarding", "reset", "--yes", "--json");

        AssertOk(run);
        var result = JsonNode.Parse(run.Out)!;
        var code = result["onboarding_code"]!.GetValue<string>();
        var snapshot = result["safety_snapshot"]!["name"]!.GetValue<string>();
        await RunningAsync();
        Assert.That(() => Hub.Api.OnboardAsync("newowner"), Throws.InvalidOperationException.With.Message.Contains("recovery"));
        var created = await Hub.Api.PostJsonAsync("api/onboarding/users", new JsonObject
        {
            ["client_id"] = HubApi.ClientId, ["name"] = "New", ["username"] = "newowner", ["password"] = HubApi.OwnerPassword, ["recovery_code"] = code,
        });
        Assert.That(created["auth_code"], Is.Not.Null);
        await EnterModeAsync();
        AssertOk(await Hub.CliAsync("db", "restore", snapshot));
        await RunningAsync();
        Assert.That((await Hub.LoginAsync("owner"))["access_token"], Is.Not.Null);
    }

    [Test]
    public async Task DbCheck_HealthyStore_Ok0()
    {
        await EnterModeAsync();

        var run = await Hub.CliAsync("db", "check");

        AssertOk(run);
        Assert.That(run.Out, Does.Contain("The auth store is healthy: generation 2"));
    }

    [Test]
    public async Task DbSnapshots_ListsSnapshotNames()
    {
        await Hub.StopAsync(); // the service snapshots on the way out
        await EnterModeAsync();

        var run = await Hub.CliAsync("db", "snapshots");

        AssertOk(run);
        Assert.That(run.Out, Does.Match(@"auth-g0000000002-\d{8}T\d{9}Z\.db\s+2"));
    }

    [Test]
    public async Task DbBackupThenRestore_UserAddedAfterBackupIsGone()
    {
        var file = Path.Combine(Hub.Root, "backup.db");
        await EnterModeAsync();
        AssertOk(await Hub.CliAsync("db", "backup", file));
        AssertOk(await Hub.CliWithInputAsync("a password 123\n", "users", "add", "late", "--password-stdin"));

        var run = await Hub.CliAsync("db", "restore", file);

        AssertOk(run);
        Assert.That(File.GetUnixFileMode(file), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(run.Out, Does.Contain("Restored " + file));
        Assert.That((await Hub.CliAsync("users", "list")).Out, Does.Not.Contain("late"));
    }

    [Test]
    public async Task DbBackup_FileExists_Failed1Untouched()
    {
        var file = Path.Combine(Hub.Root, "exists.db");
        await File.WriteAllTextAsync(file, "mine");
        await EnterModeAsync();

        var run = await Hub.CliAsync("db", "backup", file);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Failed), run.ToString);
        Assert.That(await File.ReadAllTextAsync(file), Is.EqualTo("mine"));
    }

    [Test]
    public async Task DbRestore_UnknownSnapshot_Failed1NamingDbSnapshots()
    {
        await EnterModeAsync();

        var run = await Hub.CliAsync("db", "restore", "auth-g0000000099-20250101T000000000Z.db");

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Failed), run.ToString);
        Assert.That(run.Error, Does.Contain("pihub-cli db snapshots"));
    }

    [Test]
    public async Task ConfigCheck_ValidAndInvalidFiles_SameMessagesAsTheService()
    {
        var bad = Path.Combine(Hub.Root, "bad.yaml");
        await File.WriteAllTextAsync(bad, "http:\n  server_port: 99999\n");
        await EnterModeAsync();

        var good = await Hub.CliAsync("config", "check", Hub.ConfigFile);
        var wrong = await Hub.CliAsync("config", "check", bad);

        AssertOk(good);
        Assert.That(good.Out, Does.Contain($"{Hub.ConfigFile} is valid."));
        Assert.That(wrong.ExitCode, Is.EqualTo(ExitCodes.Failed), wrong.ToString);
        Assert.That(wrong.Error, Does.Contain("Invalid value \"99999\" for http.server_port").And.Contain("a whole number from 0 to 65535"));
    }

    [Test]
    public async Task PowerSimulate_RealHardware_RefusedNamingDevModeOrStart()
    {
        await EnterModeAsync();

        var run = await Hub.CliAsync("power", "simulate", "fail", "--json");

        // This hub has a config file and no power.simulate: it runs on its real hardware.
        if (Mode == HubMode.Running)
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Failed), run.ToString);
            Assert.That(run.Error, Does.Contain("can be simulated only in dev mode").And.Contain("nothing was changed"));
            Assert.That(JsonNode.Parse(run.Out)!["error"]!.GetValue<string>(), Is.EqualTo("dev_mode_only"));
        }
        else
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Unavailable), run.ToString);
            Assert.That(run.Error, Does.Contain($"PiHub is not running (nothing answers on its admin socket {Hub.Socket})").And.Contain("sudo systemctl start pihub"));
        }
    }
}
