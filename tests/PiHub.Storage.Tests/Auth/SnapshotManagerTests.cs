using Microsoft.Extensions.Logging.Abstractions;
using PiHub.Core.Auth.Storage;
using PiHub.Storage.Auth;
using PiHub.Storage.Tests.Support;
using PiHub.Testing;

namespace PiHub.Storage.Tests.Auth;

public sealed class SnapshotManagerTests
{
    private TempDir _dir = null!;

    [SetUp]
    public void SetUp() => _dir = new TempDir();

    [TearDown]
    public void TearDown() => _dir.Dispose();

    [Test]
    public void Take_TenDaysAndFiveToday_KeepsNewestTenPlusOnePerDayForAWeek()
    {
        var manager = new SnapshotManager(new StoreFiles(_dir.Path, "auth.db"), new AuthStoreOptions { Directory = _dir.Path }, NullLogger.Instance);
        var today = new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
        var data = AuthData.Empty;
        for (var day = 9; day >= 0; day--)
        {
            data = data.Apply(new AuthChangeSet("tick"));
            manager.Take(data, today.AddDays(-day));
        }

        for (var i = 1; i <= 5; i++)
        {
            data = data.Apply(new AuthChangeSet("tick"));
            manager.Take(data, today.AddMinutes(i));
        }

        var kept = manager.List().Select(s => s.Generation).Order().ToList();
        Assert.That(kept, Is.EqualTo(Enumerable.Range(4, 12).Select(g => (long)g)));
    }

    [Test]
    public void Take_Snapshot_RecordsGenerationTimeAndLoadsBackVerified()
    {
        var manager = new SnapshotManager(new StoreFiles(_dir.Path, "auth.db"), new AuthStoreOptions { Directory = _dir.Path }, NullLogger.Instance);
        var data = AuthData.Empty.Apply(AuthSamples.CreateOwner());

        var info = manager.Take(data, AuthSamples.T0);

        Assert.That(info.Generation, Is.EqualTo(1));
        Assert.That(Path.GetFileName(info.Path), Does.Contain("g0000000001").And.Not.Contain(":"));
        var loaded = manager.NewestValid([]);
        Assert.That(loaded?.Data.Owner?.Name, Is.EqualTo("Alice"));
        Assert.That(Directory.GetFiles(Path.GetDirectoryName(info.Path)!, "*.tmp*"), Is.Empty);
    }

    [Test]
    public async Task CommitAsync_ManyQuickCommits_SnapshotsCoalesced()
    {
        // The store's clock is a fake: all 31 commits happen within one SnapshotMinInterval, however
        // slow the disk, and the background snapshot runs only when the test moves the clock.
        var time = new SignallingFakeTimeProvider(AuthSamples.T0);
        var options = StoreFactory.Options(_dir.Path, background: true);
        options.SnapshotMinInterval = TimeSpan.FromMilliseconds(300);
        var log = new RecordingLogger();
        using var store = LiteAuthStore.Open(options, log, time);
        await store.CommitAsync(AuthSamples.CreateOwner());
        for (var n = 1; n <= 30; n++) await store.CommitAsync(AuthSamples.AddUser(n));
        var files = new StoreFiles(_dir.Path, "auth.db");
        var manager = new SnapshotManager(files, options, NullLogger.Instance);
        Assert.That(manager.List(), Is.Empty, "no snapshot before the interval has passed");

        // Move the clock once the maintenance loop waits on it; it then logs the snapshot it writes.
        await Wait.UntilAsync(() => time.TimersCreated > 0, time.OnTimerCreated, "the store's maintenance loop to wait on the clock");
        time.Advance(options.SnapshotMinInterval);
        await Wait.UntilAsync(() => manager.List().FirstOrDefault()?.Generation == 31, log.OnMessage, "the background snapshot of generation 31");

        Assert.That(manager.List().First().Generation, Is.EqualTo(31));
        Assert.That(manager.List(), Has.Count.EqualTo(1), "snapshots were not coalesced");
    }
}
