using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging.Abstractions;
using PiHub.Core.Hub;
using PiHub.Server.Hosting;
using PiHub.Server.WebSockets;
using PiHub.Testing;
using PiHub.Testing.Auth;

namespace PiHub.Server.Tests.Hosting;

/// <summary>The watchdog against a real notify socket, as systemd provides one.</summary>
[NonParallelizable]
public class SystemdWatchdogTests
{
    private string _dir = null!;
    private Socket _systemd = null!;
    private InMemoryAuthStore _store = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("pihub-notify-").FullName;
        var path = Path.Combine(_dir, "notify");
        _systemd = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        _systemd.Bind(new UnixDomainSocketEndPoint(path));
        Environment.SetEnvironmentVariable("NOTIFY_SOCKET", path);
        _store = new InMemoryAuthStore();
    }

    [TearDown]
    public void TearDown()
    {
        Environment.SetEnvironmentVariable("NOTIFY_SOCKET", null);
        _systemd.Dispose();
        _store.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private HubHealth Health() =>
        new(new HubCore(new HubInfo("Home", "UTC", "metric", "0"), new InMemoryHubStore(), [], TimeProvider.System), _store, new WsRegistry());

    /// <summary>
    /// Receives until <paramref name="done"/> holds for what arrived (or <paramref name="timeout"/>: then
    /// returns what arrived). The watchdog runs on the real clock (a <c>PeriodicTimer</c>), so the
    /// messages arrive in real time; the wait ends as soon as they have.
    /// </summary>
    private async Task<List<string>> ReceiveUntilAsync(Func<List<string>, bool> done, TimeSpan timeout)
    {
        var messages = new List<string>();
        var buffer = new byte[4096];
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (!done(messages))
            {
                var n = await _systemd.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
                messages.Add(Encoding.UTF8.GetString(buffer, 0, n));
            }
        }
        catch (OperationCanceledException)
        {
            // Return what arrived.
        }

        return messages;
    }

    /// <summary>The messages already waiting in the socket, without waiting for more.</summary>
    private List<string> Drain()
    {
        var messages = new List<string>();
        var buffer = new byte[4096];
        while (_systemd.Available > 0)
        {
            var n = _systemd.Receive(buffer);
            messages.Add(Encoding.UTF8.GetString(buffer, 0, n));
        }

        return messages;
    }

    [Test]
    public async Task Watchdog_Healthy_PingsAtHalfIntervalAndReportsStatus()
    {
        var notifier = new SystemdNotifier();
        using var watchdog = new SystemdWatchdog(Health(), NullLogger<SystemdWatchdog>.Instance, notifier, "400000", null);

        await watchdog.StartAsync(CancellationToken.None);
        var messages = await ReceiveUntilAsync(m => m.Count >= 4, Wait.Timeout);
        await watchdog.StopAsync(CancellationToken.None);

        Assert.That(messages.Count(m => m == "WATCHDOG=1"), Is.GreaterThanOrEqualTo(2), string.Join(" | ", messages));
        Assert.That(messages, Has.Some.EqualTo("STATUS=ready (waiting for onboarding): 0 users, 0 entities, 0 WebSocket clients"));
    }

    [Test]
    public async Task Watchdog_ForAnotherPid_OnlyStatusNoPings()
    {
        var notifier = new SystemdNotifier();
        using var watchdog = new SystemdWatchdog(Health(), NullLogger<SystemdWatchdog>.Instance, notifier, "400000", "1");

        await watchdog.StartAsync(CancellationToken.None);
        // Each round of the loop pings (when the watchdog is ours) and then reports STATUS. Wait for the
        // first round's STATUS, then stop: stopping lets that round finish, so everything it sent is
        // already in the socket when it is drained.
        var messages = await ReceiveUntilAsync(m => m.Any(x => x.StartsWith("STATUS=", StringComparison.Ordinal)), Wait.Timeout);
        await watchdog.StopAsync(CancellationToken.None);
        messages.AddRange(Drain());

        Assert.That(messages, Has.Some.StartsWith("STATUS="), "the loop ran a round");
        Assert.That(messages, Has.None.EqualTo("WATCHDOG=1"));
    }

    [Test]
    public async Task Watchdog_OutsideSystemd_DoesNothingAndStops()
    {
        Environment.SetEnvironmentVariable("NOTIFY_SOCKET", null);
        var notifier = new SystemdNotifier();
        using var watchdog = new SystemdWatchdog(Health(), NullLogger<SystemdWatchdog>.Instance, notifier, "400000", null);

        await watchdog.StartAsync(CancellationToken.None);

        // .NET 10 runs ExecuteAsync on a background thread: it must finish by itself, promptly.
        await Wait.ForAsync(watchdog.ExecuteTask!, "the watchdog to finish by itself");
        Assert.That(watchdog.ExecuteTask!.IsCompletedSuccessfully, Is.True);
        await watchdog.StopAsync(CancellationToken.None);
    }
}
