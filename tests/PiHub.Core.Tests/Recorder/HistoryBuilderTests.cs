using PiHub.Core.Hub;
using PiHub.Core.Recorder;

namespace PiHub.Core.Tests.Recorder;

public sealed class HistoryBuilderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private static StateRecord S(string entity, string state, int minute, int changedMinute = -1, string attributes = """{"a":1}""", StateRecordKind kind = StateRecordKind.Changed) =>
        new(entity, state, attributes, T0.AddMinutes(changedMinute < 0 ? minute : changedMinute), T0.AddMinutes(minute), HubContext.New(), null, kind);

    private static HistoryData Data(StateRecord? start, params StateRecord[] items)
    {
        var data = new HistoryData();
        if (start is not null) data.StartStates[start.EntityId] = start;
        data.Items.AddRange(items);
        return data;
    }

    [Test]
    public void Build_StartState_FirstRowCarriesTheStartTime()
    {
        var query = new HistoryQuery(T0.AddMinutes(10), T0.AddMinutes(60), ["light.a"]);

        var rows = HistoryBuilder.Build(query, Data(S("light.a", "on", 1), S("light.a", "off", 20))).Single().Rows;

        Assert.That(rows.Select(r => (r.State, r.LastUpdated)), Is.EqualTo(new[] { ("on", T0.AddMinutes(10)), ("off", T0.AddMinutes(20)) }));
        Assert.That(rows[0].LastChanged, Is.EqualTo(T0.AddMinutes(10)));
    }

    [Test]
    public void Build_SignificantChangesOnly_DropsAttributeOnlyUpdatesExceptClimate()
    {
        var query = new HistoryQuery(T0, T0.AddHours(1), ["light.a", "climate.b"], IncludeStartTimeState: false);

        var result = HistoryBuilder.Build(query, Data(null,
            S("light.a", "on", 1), S("light.a", "on", 2, changedMinute: 1), S("climate.b", "heat", 1), S("climate.b", "heat", 2, changedMinute: 1)));

        Assert.That(result.Select(e => (e.EntityId, e.Rows.Count)), Is.EqualTo(new[] { ("light.a", 1), ("climate.b", 2) }));
    }

    [Test]
    public void Build_MinimalResponse_FirstRowFullThenStateChangesOnly()
    {
        var query = new HistoryQuery(T0, T0.AddHours(1), ["sensor.t"], IncludeStartTimeState: false, SignificantChangesOnly: false, MinimalResponse: true);

        var rows = HistoryBuilder.Build(query, Data(null, S("sensor.t", "1", 1), S("sensor.t", "1", 2, 1), S("sensor.t", "2", 3))).Single().Rows;

        Assert.That(rows.Select(r => (r.State, r.Minimal, r.Attributes)), Is.EqualTo(new[] { ("1", false, (string?)"""{"a":1}"""), ("2", true, null) }));
    }

    [Test]
    public void Build_NoAttributes_AttributesLeftOut()
    {
        var query = new HistoryQuery(T0, T0.AddHours(1), null, NoAttributes: true);

        var rows = HistoryBuilder.Build(query, Data(null, S("sensor.t", "1", 1))).Single().Rows;

        Assert.That(rows.Single().Attributes, Is.Null);
    }

    [Test]
    public void Build_BaselineRestatingAnEarlierChange_NotRepeated()
    {
        var query = new HistoryQuery(T0, T0.AddHours(1), null);
        var change = S("light.a", "on", 5);

        var rows = HistoryBuilder.Build(query, Data(null, change, change with { Kind = StateRecordKind.Baseline, Time = T0.AddMinutes(30) })).Single().Rows;

        Assert.That(rows, Has.Count.EqualTo(1));
    }

    [Test]
    public void Build_EntityWithoutRows_LeftOutAndOrderFollowsTheRequest()
    {
        var query = new HistoryQuery(T0, T0.AddHours(1), ["sensor.b", "sensor.none", "sensor.a"]);

        var result = HistoryBuilder.Build(query, Data(null, S("sensor.a", "1", 1), S("sensor.b", "2", 2)));

        Assert.That(result.Select(e => e.EntityId), Is.EqualTo(new[] { "sensor.b", "sensor.a" }));
    }
}
