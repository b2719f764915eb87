using System.Net;
using PiHub.Server.Auth;

namespace PiHub.Server.Tests.Auth;

public class PasswordCheckLimiterTests
{
    private static readonly IPAddress Attacker = IPAddress.Parse("192.168.1.66");
    private static readonly IPAddress Owner = IPAddress.Parse("192.168.1.20");
    private static readonly IPAddress Accomplice = IPAddress.Parse("192.168.1.67");
    private static readonly IPAddress Guest = IPAddress.Parse("192.168.1.30");

    [Test]
    public async Task Acquire_SameClientWhileItsCheckRuns_WaitsUntilReleased()
    {
        var limiter = new PasswordCheckLimiter(concurrency: 2);
        var first = await limiter.AcquireAsync(Attacker, CancellationToken.None);

        var second = limiter.AcquireAsync(Attacker, CancellationToken.None).AsTask();
        var waitedWhileFirstRan = !second.IsCompleted;
        first!.Dispose();
        using var granted = await second;

        Assert.That(waitedWhileFirstRan, Is.True, "one check at a time per client, although a core was free");
        Assert.That(granted, Is.Not.Null);
    }

    [Test]
    public async Task Acquire_BeyondTheClientsQueue_RefusedAtOnce_OtherClientsNot()
    {
        var limiter = new PasswordCheckLimiter(concurrency: 2);
        using var running = await limiter.AcquireAsync(Attacker, CancellationToken.None);
        var queued = Enumerable.Range(0, PasswordCheckLimiter.QueuePerClient)
            .Select(_ => limiter.AcquireAsync(Attacker, CancellationToken.None).AsTask()).ToList();

        var refused = await limiter.AcquireAsync(Attacker, CancellationToken.None);
        using var owner = await limiter.AcquireAsync(Owner, CancellationToken.None);

        Assert.That(refused, Is.Null);
        Assert.That(owner, Is.Not.Null, "another client gets the free core at once");
        Assert.That(queued.Any(q => q.IsCompleted), Is.False);
    }

    [Test]
    public async Task Release_TwoClientsWaiting_TheyTakeTurns()
    {
        var limiter = new PasswordCheckLimiter(concurrency: 1);
        var running = await limiter.AcquireAsync(Attacker, CancellationToken.None);
        var attackerNext = limiter.AcquireAsync(Attacker, CancellationToken.None).AsTask();
        var attackerLater = limiter.AcquireAsync(Attacker, CancellationToken.None).AsTask();
        var owner = limiter.AcquireAsync(Owner, CancellationToken.None).AsTask();

        running!.Dispose();
        var ownerTurn = await owner;
        var attackerWaitedBehindOwner = !attackerNext.IsCompleted;
        ownerTurn!.Dispose();
        (await attackerNext)!.Dispose();
        (await attackerLater)!.Dispose();

        Assert.That(attackerWaitedBehindOwner, Is.True, "the owner, waiting with nothing running, goes before the attacker's second check");
    }

    [Test]
    public async Task Cancel_WaitingCheck_FreesItsPlaceInTheQueue()
    {
        var limiter = new PasswordCheckLimiter(concurrency: 1);
        using var running = await limiter.AcquireAsync(Attacker, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var cancelled = Enumerable.Range(0, PasswordCheckLimiter.QueuePerClient)
            .Select(_ => limiter.AcquireAsync(Attacker, cancel.Token).AsTask()).ToList();

        await cancel.CancelAsync();
        var outcomes = await Task.WhenAll(cancelled.Select(async t =>
        {
            try
            {
                await t;
                return "granted";
            }
            catch (OperationCanceledException)
            {
                return "cancelled";
            }
        }));
        var again = limiter.AcquireAsync(Attacker, CancellationToken.None).AsTask();

        Assert.That(outcomes, Is.All.EqualTo("cancelled"));
        Assert.That(again.IsCompleted, Is.False, "queued again (not refused): the cancelled places were freed");
    }

    [Test]
    public async Task Release_CleanClientBehindFailingClients_GetsTheNextSlot()
    {
        var failing = new HashSet<IPAddress> { Attacker, Accomplice };
        var limiter = new PasswordCheckLimiter(concurrency: 1, hasFailed: a => a is not null && failing.Contains(a));
        var running = await limiter.AcquireAsync(Attacker, CancellationToken.None);
        var attackerNext = limiter.AcquireAsync(Attacker, CancellationToken.None).AsTask();
        var accomplice = limiter.AcquireAsync(Accomplice, CancellationToken.None).AsTask();
        var owner = limiter.AcquireAsync(Owner, CancellationToken.None).AsTask();

        running!.Dispose();
        var ownerTurn = await owner;
        var failingWaited = !attackerNext.IsCompleted && !accomplice.IsCompleted;
        ownerTurn!.Dispose();
        var accompliceTurn = await accomplice;
        var attackerWaitedBehindAccomplice = !attackerNext.IsCompleted;
        accompliceTurn!.Dispose();
        (await attackerNext)!.Dispose();

        Assert.That(failingWaited, Is.True, "the clean client, though it came last, goes before both failing clients");
        Assert.That(attackerWaitedBehindAccomplice, Is.True, "failing clients still take turns among themselves");
    }

    [Test]
    public async Task Release_TwoCleanClientsBehindAFailingOne_TheyTakeTurnsBeforeIt()
    {
        var limiter = new PasswordCheckLimiter(concurrency: 1, hasFailed: a => Attacker.Equals(a));
        var running = await limiter.AcquireAsync(Attacker, CancellationToken.None);
        var attackerNext = limiter.AcquireAsync(Attacker, CancellationToken.None).AsTask();
        var owner = limiter.AcquireAsync(Owner, CancellationToken.None).AsTask();
        var ownerLater = limiter.AcquireAsync(Owner, CancellationToken.None).AsTask();
        var guest = limiter.AcquireAsync(Guest, CancellationToken.None).AsTask();

        running!.Dispose();
        (await owner)!.Dispose();
        var guestTurn = await guest;
        var orderWhileGuestRan = (OwnerLater: ownerLater.IsCompleted, Attacker: attackerNext.IsCompleted);
        guestTurn!.Dispose();
        (await ownerLater)!.Dispose();
        (await attackerNext)!.Dispose();

        Assert.That(orderWhileGuestRan, Is.EqualTo((OwnerLater: false, Attacker: false)),
            "the guest's turn comes before the owner's second check (round robin) and both before the failing client");
    }
}
