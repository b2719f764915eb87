using PiHub.Core.Power;
using PiHub.Testing;

namespace PiHub.Core.Tests.Power;

public class BrownoutLogTests
{
    private static readonly DateTimeOffset s_t0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static Brownout At(DateTimeOffset start) => new(start, start.AddSeconds(8), "the power-fail pin (GPIO 6)", 4.61,
        new RefusedChanges(1, [new RefusedChange("hub", "save restore_state/input_boolean.porch", 1)]), false);

    [Test]
    public async Task Add_ThenReopen_SameRecord()
    {
        var store = new InMemoryHubStore();
        await new BrownoutLog(store, TimeSpan.FromDays(90)).AddAsync(At(s_t0));

        var reopened = new BrownoutLog(store, TimeSpan.FromDays(90)).All().Single();

        Assert.That(reopened.Start, Is.EqualTo(s_t0));
        Assert.That(reopened.LowestVolts, Is.EqualTo(4.61));
        Assert.That(reopened.Refused.Items.Single(), Is.EqualTo(new RefusedChange("hub", "save restore_state/input_boolean.porch", 1)));
    }

    [Test]
    public async Task Prune_After89DaysKeptAfter91DaysGone()
    {
        var store = new InMemoryHubStore();
        var log = new BrownoutLog(store, TimeSpan.FromDays(90));
        await log.AddAsync(At(s_t0));

        await log.PruneAsync(s_t0.AddDays(89));
        var after89 = log.All().Count;
        await log.PruneAsync(s_t0.AddDays(91));

        Assert.That(after89, Is.EqualTo(1));
        Assert.That(log.All(), Is.Empty);
        Assert.That(new BrownoutLog(store, TimeSpan.FromDays(90)).All(), Is.Empty, "deleted from the store too");
    }

    [Test]
    public void Load_DamagedRecord_SkippedNotFatal()
    {
        var store = new InMemoryHubStore();
        store.PutAsync("power_brownouts", "000000000000001", "{not json").GetAwaiter().GetResult();

        Assert.That(new BrownoutLog(store, TimeSpan.FromDays(90)).All(), Is.Empty);
    }
}
