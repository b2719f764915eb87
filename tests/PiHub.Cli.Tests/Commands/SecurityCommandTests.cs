using System.Net;
using System.Text.Json.Nodes;
using PiHub.Cli.Tests.Infrastructure;
using PiHub.Core.Auth.Bans;
using PiHub.Testing;

namespace PiHub.Cli.Tests.Commands;

/// <summary><c>mfa …</c>, <c>tokens …</c> and <c>bans …</c>, with the service running and stopped.</summary>
public sealed class SecurityCommandTests(HubMode mode) : CliTestBase(mode)
{
    [Test]
    public async Task MfaReset_OwnerWithTotp_LogsInWithPasswordAlone()
    {
        await Totp.EnrolAsync(Hub, "owner");
        await EnterModeAsync();

        var run = await Hub.CliAsync("mfa", "reset", "owner");

        AssertOk(run);
        Assert.That(run.Out, Does.Contain("owner's authenticator app and recovery codes are removed"));
        await RunningAsync();
        Assert.That((await Hub.LoginAsync("owner"))["access_token"], Is.Not.Null);
    }

    [Test]
    public async Task MfaReset_NoSecondFactor_Ok0NothingChanged()
    {
        await EnterModeAsync();

        var run = await Hub.CliAsync("mfa", "reset", "owner");

        AssertOk(run);
        Assert.That(run.Out, Does.Contain("has no second factor; nothing changed"));
    }

    [Test]
    public async Task MfaRecoveryCodes_Enrolled_TenNewCodesOldOnesDead()
    {
        var (_, old) = await Totp.EnrolAsync(Hub, "owner");
        await EnterModeAsync();

        var run = await Hub.CliAsync("mfa", "recovery-codes", "owner", "--json");

        AssertOk(run);
        var codes = JsonNode.Parse(run.Out)!["recovery_codes"]!.AsArray().Select(c => c!.GetValue<string>()).ToList();
        Assert.That(codes, Has.Count.EqualTo(10).And.None.AnyOf(old.ToArray()));
        Assert.That((await Hub.CliAsync("users", "list")).Out, Does.Contain("yes (10 codes)"));
    }

    [Test]
    public async Task MfaRecoveryCodes_NoTotp_Failed1()
    {
        await EnterModeAsync();

        var run = await Hub.CliAsync("mfa", "recovery-codes", "owner");

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Failed), run.ToString);
        Assert.That(run.Error, Does.Contain("no authenticator app set up"));
    }

    [Test]
    public async Task TokensCreate_LongLivedToken_WorksOverHttp()
    {
        await EnterModeAsync();

        var run = await Hub.CliAsync("tokens", "create", "owner", "--client", "Tasker", "--days", "30");

        AssertOk(run);
        var token = run.Out.Trim().Split('\n')[^1];
        await RunningAsync();
        using var client = Hub.Api.Client(token);
        using var response = await client.GetAsync("api/");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task TokensListThenRevoke_SessionStopsWorking()
    {
        await EnterModeAsync();
        var list = await Hub.CliAsync("tokens", "list", "--user", "owner", "--json");
        AssertOk(list);
        var id = JsonNode.Parse(list.Out)!["tokens"]![0]!["id"]!.GetValue<string>();

        var run = await Hub.CliAsync("tokens", "revoke", id);

        AssertOk(run);
        await RunningAsync();
        using var refreshed = await Hub.Api.Http.PostAsync("auth/token", HubApi.Form(("grant_type", "refresh_token"), ("refresh_token", Hub.Api.RefreshToken!), ("client_id", HubApi.ClientId)));
        Assert.That(refreshed.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task TokensRevoke_UnknownId_Failed1NamingTokensList()
    {
        await EnterModeAsync();

        var run = await Hub.CliAsync("tokens", "revoke", "0123");

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Failed), run.ToString);
        Assert.That(run.Error, Does.Contain("pihub-cli tokens list"));
    }

    [Test]
    public async Task BansListThenLift_BannedAddressGetsInAgain()
    {
        await BanAsync("192.0.2.7");
        await EnterModeAsync();

        var list = await Hub.CliAsync("bans", "list");
        var lift = await Hub.CliAsync("bans", "lift", "192.0.2.7");

        AssertOk(list);
        Assert.That(list.Out, Does.Contain("192.0.2.7").And.Contain("1 address is banned."));
        AssertOk(lift);
        Assert.That((await Hub.CliAsync("bans", "list")).Out, Does.Contain("No address is banned."));
    }

    [Test]
    public async Task BansLiftAll_TwoBans_BothLifted()
    {
        await BanAsync("192.0.2.8");
        await BanAsync("192.0.2.9");
        await EnterModeAsync();

        var run = await Hub.CliAsync("bans", "lift", "--all");

        AssertOk(run);
        Assert.That(run.Out, Does.Contain("192.0.2.8").And.Contain("192.0.2.9"));
    }

    [Test]
    public async Task BansLift_NeitherAddressNorAll_Usage2()
    {
        await EnterModeAsync();

        var run = await Hub.CliAsync("bans", "lift");

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Usage), run.ToString);
    }

    [Test]
    public async Task BansLift_NotBanned_Failed1NamingBansList()
    {
        await EnterModeAsync();

        var run = await Hub.CliAsync("bans", "lift", "192.0.2.10");

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Failed), run.ToString);
        Assert.That(run.Error, Does.Contain("pihub-cli bans list"));
    }

    private async Task BanAsync(string address)
    {
        var bans = Hub.Service<BanManager>();
        for (var i = 0; i < bans.Options.Threshold; i++) await bans.RecordFailureAsync(IPAddress.Parse(address), "invalid_auth");
        Assert.That(bans.IsBanned(IPAddress.Parse(address), out _), Is.True);
    }
}
