using System.Net;
using PiHub.Core.Auth;
using PiHub.Server.Auth;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Server.Tests.Security;

namespace PiHub.Server.Tests.Regressions;

/// <summary>
/// Issue 9, item 2: 24 <c>POST /auth/token</c> announcing 60,000 bytes and sending 100 bytes every 0.25 s held every
/// slot of the one-hash-per-core limiter (and its queue) while the bodies trickled in, so the owner's login and every
/// app's refresh-token grant got 429. Now auth bodies are read (8 KB at most, within 5 s) before any slot is taken, the
/// limiter is fair per address, and a refresh-token grant, which hashes no password, never waits for one. The attacks
/// below announce 8,000 bytes, the most the endpoints still accept, so the hub has to sit out the trickle.
/// </summary>
public class SlowBodiesHoldPasswordLimiterTests
{
    private TestHub _hub = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _hub = await TestHub.StartAsync(passwordIterations: PasswordHasher.DefaultIterations); // production cost: the limiter only has something to limit when each check is slow
        await _hub.OnboardAsync();
    }

    [TearDown]
    public Task StopAsync() => _hub.DisposeAsync().AsTask();

    [Test]
    public async Task SlowTokenBodies_OwnerLoginAndAppRefreshStillServed()
    {
        using var stop = new CancellationTokenSource();
        var started = Enumerable.Range(0, 24).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToList();
        var slow = started.Select(s => Attacks.SlowBodyAsync(_hub, "127.0.0.2", "auth/token", 8_000, stop.Token, s)).ToList();
        await Task.WhenAll(started.Select(s => s.Task));
        await Task.Delay(TimeSpan.FromSeconds(1)); // let the hub take in the 24 requests' headers

        using var owner = _hub.ClientFrom("127.0.0.3");
        using var app = _hub.ClientFrom("127.0.0.4");
        var login = await Attacks.LogInAsync(owner);
        var refresh = await Attacks.RefreshAsync(app, _hub.RefreshToken!);
        var slowStillSending = slow.Count(t => !t.IsCompleted);
        await stop.CancelAsync();
        await Task.WhenAll(slow);

        Assert.That(login["access_token"], Is.Not.Null);
        Assert.That(refresh.StatusCode, Is.EqualTo(HttpStatusCode.OK), await refresh.Content.ReadAsStringAsync());
        Assert.That(slowStillSending, Is.GreaterThan(0), "the attack was still going on while the owner logged in");
    }

    [Test]
    public async Task SlowBody_AnsweredWithTimeoutAndAMessage()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(40));

        var token = await Attacks.SlowBodyAsync(_hub, "127.0.0.2", "auth/token", 8_000, stop.Token);
        var step = await Attacks.SlowBodyAsync(_hub, "127.0.0.2", "auth/login_flow/some-flow", 8_000, stop.Token);

        Assert.That(token, Does.StartWith("HTTP/1.1 408"), "a body that takes longer than the auth endpoints allow is cut off");
        Assert.That(token, Does.Contain("\"error\":\"invalid_request\"").And.Contain("5 seconds"));
        Assert.That(step, Does.StartWith("HTTP/1.1 408"));
        Assert.That(step, Does.Contain("\"code\":\"request_timeout\"").And.Contain("5 seconds"));
    }

    [Test]
    public async Task SlowBodyAnnouncingMoreThanTheCap_RefusedAtOnce()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(40));

        var answer = await Attacks.SlowBodyAsync(_hub, "127.0.0.2", "auth/token", 60_000, stop.Token);

        Assert.That(answer, Does.StartWith("HTTP/1.1 413"));
        Assert.That(answer, Does.Contain("8192 bytes"));
    }

    [Test]
    public async Task OneAddressFloodingPasswordSteps_OtherAddressStillLogsIn_RefreshNeverWaits()
    {
        using var attacker = _hub.ClientFrom("127.0.0.2");
        var flood = await Attacks.PasswordStepFloodAsync(_hub, attacker, 40);

        // Once the attacker sees its first 429, the hub's queue holds everything it will take from that address.
        var pending = flood.ToList();
        while (pending.Count > 0)
        {
            var done = await Task.WhenAny(pending);
            pending.Remove(done);
            if (await done == HttpStatusCode.TooManyRequests) break;
        }

        using var owner = _hub.ClientFrom("127.0.0.3");
        var login = await Attacks.LogInAsync(owner);
        var refresh = await Attacks.RefreshAsync(_hub.Http, _hub.RefreshToken!);
        var statuses = await Task.WhenAll(flood);

        Assert.That(login["access_token"], Is.Not.Null, "another address gets its turn at the hash");
        Assert.That(refresh.StatusCode, Is.EqualTo(HttpStatusCode.OK), await refresh.Content.ReadAsStringAsync());
        // Checked: the running one and a full queue. The rest are refused, with 429 while the queue is full, or with the
        // ban's 403 for any that reach the hub after five wrong passwords (how fast a client's connections open varies).
        Assert.That(statuses.Count(s => s == HttpStatusCode.OK), Is.LessThanOrEqualTo(1 + PasswordCheckLimiter.QueuePerClient),
            "one address cannot queue without bound");
        Assert.That(statuses.Where(s => s != HttpStatusCode.OK), Is.All.EqualTo(HttpStatusCode.TooManyRequests).Or.EqualTo(HttpStatusCode.Forbidden));
    }
}
