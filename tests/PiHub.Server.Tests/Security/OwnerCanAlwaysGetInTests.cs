using System.Diagnostics;
using System.Text.Json.Nodes;
using PiHub.Core.Auth;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Testing;

namespace PiHub.Server.Tests.Security;

/// <summary>
/// Issue 9's promise in one test: while attackers on the LAN run the lockout attacks of items 1, 2, 3 and 6 at once,
/// and those of issue 24 (items 4 and 5), the owner still logs in — from a LAN address and from the hub itself
/// (127.0.0.1) — without waiting behind the guesses (target 2 s, printed; the assertion catches starvation only).
/// Issue 24's socket floods (item 9) run in a test of their own below.
/// </summary>
public class OwnerCanAlwaysGetInTests
{
    private const string OwnersLaptop = "127.0.0.50";

    /// <summary>A trusted network whose bypass login makes every flow start an auth code for Mallory (issue 24, item 5).</summary>
    private const string MallorysTrustedDesk = "127.0.0.7";

    /// <summary>The owner's whole login (flow, password step, code exchange) under attack should take under 2 s: the target, printed, not asserted (figures belong in benchmarks; the test machine is shared and noisy).</summary>
    private static readonly TimeSpan s_ownerLoginTarget = TimeSpan.FromSeconds(2);

    /// <summary>
    /// What only starvation exceeds. A fair limiter makes the owner (no failures) wait for at most the hash already
    /// running on each core, then run its own: two hashes, ~0.4 s here when the machine is quiet. Without the limiter
    /// the owner's hash shares the cores with the 80-odd guesses hashing at once, and waits for tens of hashes.
    /// </summary>
    private static readonly TimeSpan s_starvationBound = TimeSpan.FromSeconds(6);

    [Test]
    public async Task EveryLockoutAttackAtOnce_OwnerStillLogsInFromTheLanAndFromLoopback()
    {
        await using var hub = await TestHub.StartAsync(HubSettings.TrustedNetwork($"{MallorysTrustedDesk}/32", ["mallory"], bypass: true),
            passwordIterations: PasswordHasher.DefaultIterations); // production cost: the limiter only has something to limit when each check is slow
        await hub.OnboardAsync();
        await hub.CreateUserAsync("Mallory", "mallory");
        var malloryToken = (await hub.Api.LoginAsync("mallory", HubApi.OwnerPassword))["access_token"]!.GetValue<string>();
        using var stop = new CancellationTokenSource();

        // Item 1: a flood of login flows from one address, kept up until the owner is in.
        var flowFlood = Attacks.FloodLoginFlowsAsync(hub, "127.0.0.2", int.MaxValue, stop: stop.Token);

        // Issue 24, item 5: auth codes hoarded through bypass login, as many as the hub-wide table holds before the rest
        // begins, and kept up until the owner is in.
        var hoarded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var codeHoard = Attacks.HoardAuthCodesAsync(hub, MallorysTrustedDesk, int.MaxValue, parallel: 2, stop: stop.Token, hoarded: hoarded);
        await hoarded.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // Item 2: 24 trickling /auth/token bodies of the largest size still accepted (reconnecting whenever the hub
        // cuts one off), and a burst of 40 wrong-password steps at once from a third address to keep the hashing busy.
        var slowStarted = Enumerable.Range(0, 24).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToList();
        var slowBodies = Task.WhenAll(slowStarted.Select(s => SlowBodiesUntilStoppedAsync(hub, "127.0.0.3", s, stop.Token)));
        using var flooder = hub.ClientFrom("127.0.0.4");
        var hashFlood = await Attacks.PasswordStepFloodAsync(hub, flooder, 40);

        // Issue 24, item 4: 40 wrong-password steps at once on the capitalised path, which once skipped the limiter.
        using var capitaliser = hub.ClientFrom("127.0.0.6");
        var mixedCaseFlood = await Attacks.MixedCasePasswordStepFloodAsync(capitaliser, 40);

        // Item 6: password guesses over WebSockets with a valid (low-privilege) session.
        var guesses = Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Attacks.WrongPasswordsOverWebSocketAsync(hub, "127.0.0.5", malloryToken, 12, stop.Token)));

        // Item 3: a page on another site, open in the owner's browser, sends its requests from the owner's own address.
        // Counted, they would ban that address; refused for their Origin, they count for nothing.
        await Task.WhenAll(Attacks.CrossSiteTokenPostsAsync(hub, OwnersLaptop, 10), Attacks.CrossSiteWebSocketsAsync(hub, OwnersLaptop, 10));

        JsonNode lanTokens, loopbackTokens;
        TimeSpan lanTime, loopbackTime;
        bool attacksStillRunning;
        try
        {
            await Task.WhenAll(slowStarted.Select(s => s.Task));
            using var laptop = hub.ClientFrom(OwnersLaptop);
            var fromLan = TimedLogInAsync(laptop);
            var fromLoopback = TimedLogInAsync(hub.Http);
            (lanTokens, lanTime) = await fromLan;
            (loopbackTokens, loopbackTime) = await fromLoopback;
            attacksStillRunning = !flowFlood.IsCompleted && !slowBodies.IsCompleted && !codeHoard.IsCompleted;
        }
        finally
        {
            // The attacks end before the hub stops, whatever happened to the owner.
            await stop.CancelAsync();
            await Task.WhenAll(flowFlood, slowBodies, guesses, Task.WhenAll(hashFlood), Task.WhenAll(mixedCaseFlood), codeHoard);
        }

        TestContext.Out.WriteLine($"Owner logged in from {OwnersLaptop} in {lanTime.TotalMilliseconds:0} ms and from 127.0.0.1 in {loopbackTime.TotalMilliseconds:0} ms " +
            $"(target {s_ownerLoginTarget.TotalMilliseconds:0} ms; asserted under {s_starvationBound.TotalMilliseconds:0} ms).");

        Assert.That(lanTokens["access_token"], Is.Not.Null);
        Assert.That(loopbackTokens["access_token"], Is.Not.Null);
        Assert.That(lanTime, Is.LessThan(s_starvationBound), $"the owner's login from {OwnersLaptop}");
        Assert.That(loopbackTime, Is.LessThan(s_starvationBound), "the owner's login from 127.0.0.1");
        Assert.That(attacksStillRunning, Is.True, "the owner got in while the attacks were still going on");
    }

    // ---- Issue 24, item 9: sockets held open from many addresses (kept apart from the test above for merging) ----

    [Test]
    public async Task SocketFloodsFillTheHub_OwnerStillLogsInAndConnectsFromTheLanAndFromLoopback()
    {
        await using var hub = await TestHub.StartAsync();
        await hub.OnboardAsync();
        await hub.CreateUserAsync("Mallory", "mallory");
        using var mallorysPc = hub.ClientFrom("127.0.3.1");
        var malloryToken = (await Attacks.LogInAsync(mallorysPc, "mallory"))["access_token"]!.GetValue<string>();
        await using var held = new SocketFlood();
        await using var waiting = new SocketFlood();
        using var stop = new CancellationTokenSource();

        // Authenticated sockets from 16 addresses, 32 each: the hub's 512 are taken; one more is turned away.
        for (var i = 0; i < 16; i++) await held.OpenAsync(hub, $"127.0.3.{i + 1}", 32, malloryToken);
        var oneMore = await held.OpenAsync(hub, "127.0.3.17", 1, malloryToken);

        // Sockets that never authenticate, from 20 more addresses, reopened as the hub closes them, until the owner is in.
        var flood = Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await waiting.OpenAsync(hub, $"127.0.4.{i + 1}", 8);
                await Task.Delay(100);
            }
        })));

        JsonNode lanTokens, loopbackTokens, lanSocket, loopbackSocket;
        TimeSpan lanTime, loopbackTime;
        bool floodStillRunning;
        try
        {
            await Task.Delay(500);
            using var laptop = hub.ClientFrom(OwnersLaptop);
            var fromLan = TimedLogInAsync(laptop);
            var fromLoopback = TimedLogInAsync(hub.Http);
            (lanTokens, lanTime) = await fromLan;
            (loopbackTokens, loopbackTime) = await fromLoopback;
            var (lanWs, lanAuth) = await hub.WebSocketFromAsync(OwnersLaptop, lanTokens["access_token"]!.GetValue<string>());
            await using var _ = lanWs;
            var (loopbackWs, loopbackAuth) = await hub.WebSocketFromAsync("127.0.0.1", loopbackTokens["access_token"]!.GetValue<string>());
            await using var __ = loopbackWs;
            (lanSocket, loopbackSocket) = (lanAuth, loopbackAuth);
            floodStillRunning = !flood.IsCompleted;
        }
        finally
        {
            await stop.CancelAsync();
            await flood;
        }

        TestContext.Out.WriteLine($"Owner logged in from {OwnersLaptop} in {lanTime.TotalMilliseconds:0} ms and from 127.0.0.1 in {loopbackTime.TotalMilliseconds:0} ms " +
            $"with {held.Open} sockets held and {waiting.Refused.Count} upgrades refused (target {s_ownerLoginTarget.TotalMilliseconds:0} ms).");

        Assert.That(oneMore, Has.Count.EqualTo(1).And.All.StartWith("closed 1013"), "the hub was full");
        Assert.That(waiting.Refused, Is.Not.Empty, "the flood ran into the per-address caps");
        Assert.That(lanTime, Is.LessThan(s_starvationBound), $"the owner's login from {OwnersLaptop}");
        Assert.That(loopbackTime, Is.LessThan(s_starvationBound), "the owner's login from 127.0.0.1");
        Assert.That(lanSocket["type"]!.GetValue<string>(), Is.EqualTo("auth_ok"), "the owner's socket is served although the hub is full");
        Assert.That(loopbackSocket["type"]!.GetValue<string>(), Is.EqualTo("auth_ok"));
        Assert.That(floodStillRunning, Is.True, "the owner got in while the flood was still going on");
    }

    private static async Task<(JsonNode Tokens, TimeSpan Took)> TimedLogInAsync(HttpClient client)
    {
        var clock = Stopwatch.StartNew();
        var tokens = await Attacks.LogInAsync(client);
        return (tokens, clock.Elapsed);
    }

    private static async Task SlowBodiesUntilStoppedAsync(TestHub hub, string source, TaskCompletionSource started, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            await Attacks.SlowBodyAsync(hub, source, "auth/token", 8_000, stop, started);
        }
    }
}
