using System.Net;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Server.Tests.Security;
using PiHub.Testing;

namespace PiHub.Server.Tests.Regressions;

/// <summary>
/// Issue 24, item 9: 1,000 unauthenticated WebSocket upgrades from one address were all accepted and held. One address
/// may now hold 32 sockets, 8 of them before authenticating, the hub 512 authenticated ones; the hub itself
/// (127.0.0.1) is always served.
/// </summary>
public class ConnectionsPerAddressUnboundedTests
{
    private TestHub _hub = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _hub = await TestHub.StartAsync();
        await _hub.OnboardAsync();
    }

    [TearDown]
    public async Task StopAsync() => await _hub.DisposeAsync();

    [Test]
    public async Task UnauthenticatedUpgrades_FromOneAddress_RefusedPastEightSayingWhatToDo()
    {
        await using var flood = new SocketFlood();

        await flood.OpenAsync(_hub, "127.0.0.70", 12);
        var (status, body) = await SocketFlood.ProbeUpgradeAsync(_hub, "127.0.0.70");
        await using var local = new SocketFlood();
        await local.OpenAsync(_hub, "127.0.0.1", 12);

        Assert.That(flood.Refused, Has.Count.EqualTo(4).And.All.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(status, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(body, Does.Contain("too_many_connections").And.Contain("127.0.0.70 has 8 WebSockets that have not authenticated"));
        Assert.That(local.Refused, Is.Empty, "the hub itself is always served");
    }

    [Test]
    public async Task AuthenticatedSockets_FromOneAddress_RefusedPastThirtyTwo()
    {
        await _hub.CreateUserAsync("Mallory", "mallory");
        using var client = _hub.ClientFrom("127.0.0.71");
        var token = (await Attacks.LogInAsync(client, "mallory"))["access_token"]!.GetValue<string>();
        await using var flood = new SocketFlood();

        var answers = await flood.OpenAsync(_hub, "127.0.0.71", 40, token);
        var (status, body) = await SocketFlood.ProbeUpgradeAsync(_hub, "127.0.0.71");

        Assert.That(answers, Has.Count.EqualTo(32).And.All.Contain("auth_ok"));
        Assert.That(flood.Refused, Has.Count.EqualTo(8).And.All.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(body, Does.Contain("127.0.0.71 has 32 WebSockets open to this hub"));
        Assert.That(status, Is.EqualTo(HttpStatusCode.TooManyRequests));
    }

    [Test]
    public async Task UnauthenticatedUpgrades_FromManyAddresses_OldestGiveWayAndANewClientStillAuthenticates()
    {
        await using var flood = new SocketFlood();
        for (var i = 0; i < 17; i++) await flood.OpenAsync(_hub, $"127.0.1.{i + 1}", 8); // 136 waiting: past the 128 of the hub

        var (owner, answer) = await _hub.WebSocketFromAsync("127.0.0.72", _hub.AccessToken);
        await using var _ = owner;
        var oldest = await flood.EndingsAsync(9);

        Assert.That(flood.Refused, Is.Empty, "the per-address caps were not reached");
        Assert.That(answer["type"]!.GetValue<string>(), Is.EqualTo("auth_ok"));
        Assert.That(oldest, Has.All.StartWith("closed 1013").And.All.Contain("waiting to authenticate"),
            "the 9 oldest gave way (8 to the flood's last address, one to the owner)");
    }
}
