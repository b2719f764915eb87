using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PiHub.Core.Hub;
using PiHub.Core.Recorder;
using PiHub.Testing;

namespace PiHub.Core.Tests.Recorder;

public sealed class HistoryRecorderTests
{
    private static readonly HubInfo Info = new("Home", "UTC", "metric", "0.1.0");
    private FakeTimeProvider _time = null!;
    private HubCore _hub = null!;
    private InMemoryHistoryStore _store = null!;
    private HistoryRecorder _recorder = null!;

    [SetUp]
    public void SetUp()
    {
        _time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
        _hub = new HubCore(Info, new InMemoryHubStore(), [], _time);
        _store = new InMemoryHistoryStore();
        CallerScope.Set(null);
    }

    [TearDown]
    public async Task TearDown()
    {
        CallerScope.Set(null);
        await _recorder.DisposeAsync();
        _store.Dispose();
    }

    private HistoryRecorder Start(RecorderOptions? options = null, IHistoryStore? store = null)
    {
        _recorder = new HistoryRecorder(_hub, store ?? _store, options ?? new RecorderOptions(), NullLogger.Instance);
        _recorder.Start();
        return _recorder;
    }

    private static void WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail("condition not reached within 20 s");
            Thread.Sleep(10);
        }
    }

    [Test]
    public void Changes_WithinOneCommitInterval_WrittenAsOneCommitAfterTheInterval()
    {
        Start();
        for (var i = 0; i < 10; i++) _hub.States.Set($"sensor.s{i}", "1");

        Assert.That(_store.Commits, Is.Empty, "nothing is written before the interval ends");
        _time.Advance(TimeSpan.FromSeconds(RecorderOptions.DefaultCommitIntervalSeconds));
        WaitUntil(() => _store.Commits.Count == 1);

        Assert.That(_store.Commits[0].OfType<StateRecord>().Select(s => s.EntityId), Is.EquivalentTo(Enumerable.Range(0, 10).Select(i => $"sensor.s{i}")));
    }

    [Test]
    public async Task Idle_NoChanges_NothingWritten()
    {
        Start();

        for (var i = 0; i < 10; i++) _time.Advance(TimeSpan.FromSeconds(5));
        await _recorder.FlushAsync();

        Assert.That(_store.Commits, Is.Empty);
    }

    [Test]
    public async Task Start_ExistingStates_RestatedAsBaseline()
    {
        _hub.States.Set("light.hall", "on");
        Start();

        await _recorder.FlushAsync();

        var baseline = _store.Commits.Single().OfType<StateRecord>().Single();
        Assert.That((baseline.EntityId, baseline.Kind), Is.EqualTo(("light.hall", StateRecordKind.Baseline)));
    }

    [Test]
    public async Task Filter_ExcludedDomainAndEntity_NotRecorded()
    {
        Start(new RecorderOptions { Filter = new RecorderFilter([], [], ["sensor"], ["light.attic"], ["noisy_event"]) });

        _hub.States.Set("sensor.power", "1");
        _hub.States.Set("light.attic", "on");
        _hub.States.Set("light.hall", "on");
        _hub.Bus.Fire(new CustomEvent("noisy_event", HubJson.EmptyObject, HubContext.New(), _time.GetUtcNow()));
        _hub.Bus.Fire(new CustomEvent("door_opened", HubJson.EmptyObject, HubContext.New(), _time.GetUtcNow()));
        await _recorder.FlushAsync();

        var recorded = _store.Commits.SelectMany(c => c).ToList();
        Assert.That(recorded.OfType<StateRecord>().Select(s => s.EntityId), Is.EqualTo(new[] { "light.hall" }));
        Assert.That(recorded.OfType<EventRecord>().Select(e => e.EventType), Is.EqualTo(new[] { "door_opened" }));
    }

    [Test]
    public async Task StoreFails_HubKeepsServingAndOwnerIsToldOnce_ThenRecovers()
    {
        Start();
        _store.FailWritesWith = new IOException("No space left on device");

        _hub.States.Set("light.hall", "on");
        var first = await _recorder.FlushAsync();
        _hub.States.Set("light.hall", "off");
        var second = await _recorder.FlushAsync();

        Assert.That((first, second), Is.EqualTo((false, false)));
        Assert.That(_hub.States.Get("light.hall")!.Value, Is.EqualTo("off"), "the hub keeps working");
        Assert.That(_recorder.Status.Failure, Does.Contain("No space left"));
        WaitUntil(() => _hub.Notifications.All().Any(n => n.NotificationId == HistoryRecorder.FailureNotificationId));
        Assert.That(_hub.Notifications.All().Count(n => n.NotificationId == HistoryRecorder.FailureNotificationId), Is.EqualTo(1));

        _store.FailWritesWith = null;
        Assert.That(await _recorder.FlushAsync(), Is.True);

        Assert.That(_store.Commits.Single().OfType<StateRecord>().Select(s => s.State), Is.EqualTo(new[] { "on", "off" }));
        Assert.That(_recorder.Status.Failure, Is.Null);
        WaitUntil(() => _hub.Notifications.All().All(n => n.NotificationId != HistoryRecorder.FailureNotificationId));
    }

    [Test]
    public async Task StoreDownForLong_OldestChangesDroppedAndCounted()
    {
        Start(new RecorderOptions { MaxPending = 100 });
        _store.FailWritesWith = new IOException("I/O error");

        for (var i = 0; i < 250; i++) _hub.States.Set("sensor.counter", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await _recorder.FlushAsync();

        Assert.That(_recorder.Status.Pending, Is.LessThanOrEqualTo(100));
        Assert.That(_recorder.Status.Dropped, Is.GreaterThanOrEqualTo(150));
    }

    [Test]
    public async Task Midnight_FirstChangeOfTheNewDay_PrecededByEveryStateRestated()
    {
        _time.SetUtcNow(new DateTimeOffset(2026, 11, 26, 23, 59, 58, TimeSpan.Zero));
        Start();
        _hub.States.Set("light.hall", "on");
        await _recorder.FlushAsync();

        _time.Advance(TimeSpan.FromSeconds(3));
        _hub.States.Set("sensor.power", "5");
        await _recorder.FlushAsync();

        var second = _store.Commits[1].OfType<StateRecord>().ToList();
        Assert.That(second.Select(s => (s.EntityId, s.Kind)), Is.EqualTo(new[] { ("light.hall", StateRecordKind.Baseline), ("sensor.power", StateRecordKind.Changed) }));
        Assert.That(second[0].Time, Is.EqualTo(new DateTimeOffset(2026, 11, 27, 0, 0, 0, TimeSpan.Zero)));
    }

    [Test]
    public async Task CallerScope_ChangeMadeByTheCaller_RecordsItsTokenName()
    {
        Start();
        CallerScope.Set(new Caller("owner-id", "Tasker"));

        _hub.States.Set("light.porch", "on", context: HubContext.New("owner-id", _time));
        _hub.States.Set("light.hall", "on", context: HubContext.New("someone-else", _time));
        await _recorder.FlushAsync();

        var states = _store.Commits.SelectMany(c => c).OfType<StateRecord>().ToDictionary(s => s.EntityId);
        Assert.That(states["light.porch"].ClientName, Is.EqualTo("Tasker"));
        Assert.That(states["light.hall"].ClientName, Is.Null);
    }

    [Test]
    public async Task Read_ChangesNotYetCommitted_AreIncluded()
    {
        Start();
        _hub.States.Set("light.hall", "on");

        var (data, _) = await _recorder.ReadAsync(new HistoryRead(_time.GetUtcNow().AddHours(-1), _time.GetUtcNow().AddHours(1), null));

        Assert.That(_store.Commits, Is.Empty);
        Assert.That(data.Items.OfType<StateRecord>().Select(s => s.State), Is.EqualTo(new[] { "on" }));
    }

    [Test]
    public void Purge_OncePerDay_KeepsTheConfiguredDays()
    {
        Start(new RecorderOptions { PurgeKeepDays = 3 });
        WaitUntil(() => _store.Purges.Count == 1);

        _time.Advance(TimeSpan.FromHours(1));
        _time.Advance(TimeSpan.FromDays(1));
        WaitUntil(() => _store.Purges.Count == 2);

        Assert.That(_store.Purges[1], Is.EqualTo(_time.GetUtcNow().AddDays(-3)));
    }

    [Test]
    public async Task Dispose_PendingChanges_FlushedAndStoreClosed()
    {
        Start();
        _hub.States.Set("light.hall", "on");

        await _recorder.DisposeAsync();

        Assert.That(_store.Commits.SelectMany(c => c).OfType<StateRecord>().Single().State, Is.EqualTo("on"));
        Assert.That(_store.Disposed, Is.True);
    }
}
