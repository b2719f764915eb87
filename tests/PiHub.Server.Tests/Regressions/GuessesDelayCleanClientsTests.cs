using System.Net;
using PiHub.Core.Auth.Bans;
using PiHub.Server.Auth;
using PiHub.Server.Tests.Infrastructure;

namespace PiHub.Server.Tests.Regressions;

/// <summary>
/// Issue 24: the password-check limiter served waiting clients round robin only, so with N addresses guessing, the
/// owner's login waited behind about N hashes per core (2.5 s on a loaded 2-core machine with three attackers). An
/// address with no failed check recorded by the ban manager now gets the next free slot before those with one.
/// </summary>
public class GuessesDelayCleanClientsTests
{
    [Test]
    public async Task Release_OwnerQueuedBehindAddressesThatFailed_OwnerGetsTheNextSlot()
    {
        await using var hub = await TestHub.StartAsync();
        var limiter = hub.Service<PasswordCheckLimiter>();
        var attackers = new[] { "127.0.0.4", "127.0.0.5", "127.0.0.6" }.Select(IPAddress.Parse).ToList();
        foreach (var attacker in attackers)
        {
            await hub.Service<BanManager>().RecordFailureAsync(attacker, "wrong password");
        }

        // Fill every slot with the attackers' checks, queue one more from each, then the owner last.
        var running = new List<IDisposable>();
        var queued = new List<Task<IDisposable?>>();
        for (var i = 0; i < Environment.ProcessorCount; i++)
        {
            var held = await limiter.AcquireAsync(IPAddress.Parse($"127.0.1.{i + 1}"), CancellationToken.None);
            running.Add(held!);
            await hub.Service<BanManager>().RecordFailureAsync(IPAddress.Parse($"127.0.1.{i + 1}"), "wrong password");
        }

        queued.AddRange(attackers.Select(a => limiter.AcquireAsync(a, CancellationToken.None).AsTask()));
        var owner = limiter.AcquireAsync(IPAddress.Parse("127.0.0.50"), CancellationToken.None).AsTask();

        running[0].Dispose(); // one slot frees: exactly one waiting check is granted
        var first = await Task.WhenAny(queued.Append(owner)).WaitAsync(TimeSpan.FromSeconds(30));
        var ownerServedFirst = first == owner;
        foreach (var lease in running.Skip(1)) lease.Dispose();
        await Task.WhenAll(queued.Append(owner).Select(async t => (await t)!.Dispose())); // each lease frees the next

        Assert.That(ownerServedFirst, Is.True, "the first slot to free goes to the owner, not to the addresses that failed");
    }
}
