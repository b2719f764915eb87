using System.Net;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Server.Tests.Security;
using PiHub.Testing;

namespace PiHub.Server.Tests.Regressions;

/// <summary>
/// Issue 9, item 8: 4 wrong passwords, 1 right, 1 wrong banned the address, although a success is meant to reset the
/// count. A completed login (password, then the second factor when the user has one) now clears the failures recorded
/// against that username from that address — only those, so logging in to one's own account cannot buy more guesses
/// at someone else's, and a refresh-token grant (which proves no password) clears nothing.
/// </summary>
public class LoginSuccessResetsFailuresTests
{
    private const string Address = "127.0.0.2";

    private TestHub _hub = null!;
    private HttpClient _client = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _hub = await TestHub.StartAsync();
        await _hub.OnboardAsync();
        _client = _hub.ClientFrom(Address);
    }

    [TearDown]
    public async Task StopAsync()
    {
        _client.Dispose();
        await _hub.DisposeAsync();
    }

    [Test]
    public async Task FourWrongOneRightOneWrong_NotBanned()
    {
        for (var i = 0; i < 4; i++) await WrongPasswordAsync("owner");
        await Attacks.LogInAsync(_client);
        await WrongPasswordAsync("owner");

        var response = await _client.GetAsync("auth/providers");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task FourWrongForOwner_AnotherUsersLoginBetween_StillBannedAtTheFifth()
    {
        await _hub.CreateUserAsync("Mallory", "mallory");
        for (var i = 0; i < 4; i++) await WrongPasswordAsync("owner");
        await Attacks.LogInAsync(_client, "mallory");
        await WrongPasswordAsync("owner");

        var response = await _client.GetAsync("auth/providers");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task FourWrong_RefreshGrantBetween_StillBannedAtTheFifth()
    {
        for (var i = 0; i < 4; i++) await WrongPasswordAsync("owner");
        var refresh = await Attacks.RefreshAsync(_client, _hub.RefreshToken!);
        await WrongPasswordAsync("owner");

        var response = await _client.GetAsync("auth/providers");

        Assert.That(refresh.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    private async Task WrongPasswordAsync(string username)
    {
        var flow = await HubApi.JsonAsync(await _client.PostAsync("auth/login_flow", HubApi.Json(Attacks.FlowStartBody)));
        var step = await HubApi.JsonAsync(await _client.PostAsync($"auth/login_flow/{flow["flow_id"]}",
            HubApi.Json($$"""{"client_id":"{{HubApi.ClientId}}","username":"{{username}}","password":"wrong password"}""")));
        Assert.That(step["errors"]!["base"]!.GetValue<string>(), Is.EqualTo("invalid_auth"));
    }
}
