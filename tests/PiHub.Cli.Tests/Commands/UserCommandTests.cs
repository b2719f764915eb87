using System.Text.Json.Nodes;
using PiHub.Cli.Tests.Infrastructure;
using PiHub.Testing;

namespace PiHub.Cli.Tests.Commands;

/// <summary><c>users …</c> and <c>owner …</c>, with the service running and stopped.</summary>
public sealed class UserCommandTests(HubMode mode) : CliTestBase(mode)
{
    private const string Password = "a new password 1";

    [Test]
    public async Task UsersList_OwnerOnboarded_ListsOwnerWithRole()
    {
        await EnterModeAsync();

        var run = await Hub.CliAsync("users", "list");

        AssertOk(run);
        Assert.That(run.Out, Does.Contain("USERNAME").And.Match(@"owner\s+Owner\s+owner\s+yes\s+no"));
    }

    [Test]
    public async Task UsersList_Json_IsMachineReadable()
    {
        await EnterModeAsync();

        var run = await Hub.CliAsync("users", "list", "--json");

        AssertOk(run);
        var users = JsonNode.Parse(run.Out)!["users"]!.AsArray();
        Assert.That(users.Select(u => u!["username"]!.GetValue<string>()), Is.EqualTo(new[] { "owner" }));
        Assert.That(users[0]!["is_owner"]!.GetValue<bool>(), Is.True);
    }

    [Test]
    public async Task UsersAdd_PasswordFromStdin_UserLogsInOverHttp()
    {
        await EnterModeAsync();

        var run = await Hub.CliWithInputAsync(Password + "\n", "users", "add", "Alice", "--name", "Alice A.", "--admin", "--password-stdin");

        AssertOk(run);
        Assert.That(run.Out, Does.Contain("Created administrator alice"));
        await RunningAsync();
        var tokens = await Hub.LoginAsync("alice", Password);
        Assert.That(tokens["access_token"], Is.Not.Null);
    }

    [Test]
    public async Task UsersAdd_NoTerminalNoStdinOption_Usage2AndNothingCreated()
    {
        await EnterModeAsync();

        var run = await Hub.CliAsync("users", "add", "bob");

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Usage), run.ToString);
        Assert.That(run.Error, Does.Contain("--password-stdin"));
        Assert.That((await Hub.CliAsync("users", "list")).Out, Does.Not.Contain("bob"));
    }

    [Test]
    public async Task UsersPasswd_NewPassword_OldOneRefusedNewOneWorksSessionsEnded()
    {
        var refresh = Hub.Api.RefreshToken!;
        await EnterModeAsync();

        var run = await Hub.CliWithInputAsync(Password + "\n", "users", "passwd", "owner", "--password-stdin");

        AssertOk(run);
        Assert.That(run.Out, Does.Contain("Password of owner changed").And.Contain("1 session or token ended"));
        await RunningAsync();
        Assert.That(() => Hub.LoginAsync("owner", HubApi.OwnerPassword), Throws.InvalidOperationException);
        Assert.That((await Hub.LoginAsync("owner", Password))["access_token"], Is.Not.Null);
        using var refreshed = await Hub.Api.Http.PostAsync("auth/token", HubApi.Form(("grant_type", "refresh_token"), ("refresh_token", refresh), ("client_id", HubApi.ClientId)));
        Assert.That((int)refreshed.StatusCode, Is.EqualTo(400));
    }

    [Test]
    public async Task UsersDisableThenEnable_UserCannotThenCanLogIn()
    {
        await AddUserAsync("carol");
        await EnterModeAsync();

        AssertOk(await Hub.CliAsync("users", "disable", "carol"));
        await RunningAsync();
        Assert.That(() => Hub.LoginAsync("carol", Password), Throws.InvalidOperationException);
        await EnterModeAsync();
        AssertOk(await Hub.CliAsync("users", "enable", "carol"));

        await RunningAsync();
        Assert.That((await Hub.LoginAsync("carol", Password))["access_token"], Is.Not.Null);
    }

    [Test]
    public async Task UsersDisable_Owner_Refused1NamingOwnerTransfer()
    {
        await EnterModeAsync();

        var run = await Hub.CliAsync("users", "disable", "owner");

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Failed), run.ToString);
        Assert.That(run.Error, Does.Contain("pihub-cli owner transfer"));
    }

    [Test]
    public async Task UsersRemove_User_GoneFromList()
    {
        await AddUserAsync("dave");
        await EnterModeAsync();

        AssertOk(await Hub.CliAsync("users", "remove", "dave"));

        Assert.That((await Hub.CliAsync("users", "list")).Out, Does.Not.Contain("dave"));
    }

    [Test]
    public async Task UsersRemove_UnknownUser_Failed1NamingUsersList()
    {
        await EnterModeAsync();

        var run = await Hub.CliAsync("users", "remove", "nobody");

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Failed), run.ToString);
        Assert.That(run.Error, Does.Contain("There is no user \"nobody\"").And.Contain("pihub-cli users list"));
    }

    [Test]
    public async Task UsersRename_NewUsername_LogsInWithIt()
    {
        await AddUserAsync("erin");
        await EnterModeAsync();

        AssertOk(await Hub.CliAsync("users", "rename", "erin", "erin2", "--name", "Erin Two"));

        await RunningAsync();
        Assert.That((await Hub.LoginAsync("erin2", Password))["access_token"], Is.Not.Null);
        Assert.That((await Hub.CliAsync("users", "list")).Out, Does.Contain("Erin Two"));
    }

    [Test]
    public async Task OwnerShow_PrintsOwner()
    {
        await EnterModeAsync();

        var run = await Hub.CliAsync("owner", "show");

        AssertOk(run);
        Assert.That(run.Out, Does.Contain("The owner is owner (Owner)."));
    }

    [Test]
    public async Task OwnerTransfer_ToUser_NewOwnerOldStaysAdmin()
    {
        await AddUserAsync("frank");
        await EnterModeAsync();

        var run = await Hub.CliAsync("owner", "transfer", "frank");

        AssertOk(run);
        Assert.That(run.Out, Does.Contain("frank is now the owner; owner stays an administrator."));
        var list = (await Hub.CliAsync("users", "list")).Out;
        Assert.That(list, Does.Match(@"frank\s+frank\s+owner").And.Match(@"owner\s+Owner\s+admin"));
    }

    private async Task AddUserAsync(string username)
    {
        var run = await Hub.CliWithInputAsync(Password + "\n", "users", "add", username, "--password-stdin");
        AssertOk(run);
    }
}
