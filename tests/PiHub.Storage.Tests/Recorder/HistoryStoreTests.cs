using Microsoft.Extensions.Logging.Abstractions;
using PiHub.Core.Recorder;
using PiHub.Storage.Recorder;
using PiHub.Storage.Tests.Recorder.Candidates;
using PiHub.Storage.Tests.Support;
using static PiHub.Storage.Tests.Support.HistorySamples;

namespace PiHub.Storage.Tests.Recorder;

/// <summary>What every history store must do, run against both candidates on real files.</summary>
[TestFixture("day log")]
[TestFixture("LiteDB")]
public sealed class HistoryStoreTests(string kind)
{
    private TempDir _dir = null!;

    [SetUp]
    public void SetUp() => _dir = new TempDir();

    [TearDown]
    public void TearDown() => _dir.Dispose();

    private IHistoryStore Open() => kind == "day log"
        ? DayLogHistoryStore.Open(_dir.Path, NullLogger.Instance, TimeProvider.System)
        : LiteHistoryStore.Open(_dir.Path, NullLogger.Instance, TimeProvider.System);

    [Test]
    public void Append_ThenReopen_ReadsBackEveryFieldInOrder()
    {
        var written = new List<Recorded>();
        using (var store = Open())
        {
            for (var n = 0; n < 5; n++)
            {
                var batch = Batch(n, T0.AddMinutes(n));
                store.Append(batch);
                written.AddRange(batch);
            }
        }

        using var reopened = Open();
        var read = ReadAll(reopened).Items;

        Assert.That(reopened.StartupReport, Is.Null);
        Assert.That(read.Select(Fingerprint).Order(), Is.EqualTo(written.Select(Fingerprint).Order()));
    }

    [Test]
    public void Append_RawContextIdsAndUnicode_RoundTrip()
    {
        var odd = new StateRecord("sensor.name", "Grüße ☃", """{"friendly_name":"Küche"}""", T0.AddHours(-1), T0,
            new Core.Hub.HubContext("not-a-ulid", "01ARZ3NDEKTSV4RRFFQ69G5FAV", "user-1"), "Tasker ☃", StateRecordKind.Changed, IsNew: true);
        using var store = Open();

        store.Append([odd, Event("custom", T0.AddSeconds(1), """{"x":"é"}""") with { Origin = "REMOTE" }]);

        var read = ReadAll(store).Items;
        Assert.That(read, Has.Count.EqualTo(2));
        Assert.That(Fingerprint(read.OfType<StateRecord>().Single()), Is.EqualTo(Fingerprint(odd)));
        Assert.That(((EventRecord)read.Single(r => r is EventRecord)).Origin, Is.EqualTo("REMOTE"));
    }

    [Test]
    public void Read_OneEntityAcrossMidnight_StartStateAndChangesOnly()
    {
        using var store = Open();
        for (var n = 0; n < 240; n++) store.Append(Batch(n, T0.AddMinutes(n))); // 22:00 to 02:00 the next day
        var from = T0.AddMinutes(150); // 00:30 on day two

        var data = store.Read(new HistoryRead(from, from.AddMinutes(10), new HashSet<string> { "sensor.power_1" }));

        var start = data.StartStates["sensor.power_1"];
        Assert.That(data.StartStates.Keys, Is.EquivalentTo(new[] { "sensor.power_1" }));
        Assert.That(start.LastUpdated, Is.LessThan(from));
        Assert.That(start.State, Is.EqualTo("250")); // the change of minute 149
        Assert.That(data.Items.OfType<StateRecord>().Select(s => s.EntityId).Distinct(), Is.EqualTo(new[] { "sensor.power_1" }));
        Assert.That(data.Items, Has.Count.EqualTo(10));
        Assert.That(data.Items.All(i => i.Time >= from && i.Time < from.AddMinutes(10)), Is.True);
    }

    [Test]
    public void Read_DayStartsWithBaseline_StartStateFoundWithoutEarlierChanges()
    {
        using var store = Open();
        var midnight = new DateTimeOffset(T0.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);
        store.Append([State("light.hall", "on", T0)]);
        store.Append([State("light.hall", "on", midnight, kind: StateRecordKind.Baseline) with { Time = midnight }, State("sensor.x", "1", midnight.AddHours(1))]);

        var data = store.Read(new HistoryRead(midnight.AddHours(2), midnight.AddHours(3), null));

        Assert.That(data.StartStates.Keys, Is.EquivalentTo(new[] { "light.hall", "sensor.x" }));
        Assert.That(data.StartStates["light.hall"].State, Is.EqualTo("on"));
    }

    [Test]
    public void Read_RemovedEntity_HasNoStartState()
    {
        using var store = Open();
        store.Append([State("sensor.gone", "1", T0), State("sensor.gone", "", T0.AddMinutes(1), kind: StateRecordKind.Removed)]);

        var data = store.Read(new HistoryRead(T0.AddMinutes(2), T0.AddMinutes(3), null));

        Assert.That(data.StartStates, Is.Empty);
    }

    [Test]
    public void PurgeBefore_OldDays_Removed_RecentKept()
    {
        using var store = Open();
        store.Append(Batch(0, T0.AddDays(-12)));
        store.Append(Batch(1, T0.AddDays(-1)));
        store.Append(Batch(2, T0));

        var removed = store.PurgeBefore(T0.AddDays(-10));

        var left = ReadAll(store).Items;
        Assert.That(removed, Is.Not.Empty);
        Assert.That(left.Min(r => r.Time), Is.GreaterThanOrEqualTo(T0.AddDays(-1)));
        Assert.That(left, Has.Count.EqualTo(12));
    }
}
