using PiHub.Core.Hub;
using PiHub.Core.Recorder;

namespace PiHub.Core.Tests.Recorder;

public sealed class LogbookProcessorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private static readonly LogbookQuery All = new(T0, T0.AddDays(1));

    private static StateRecord S(string entity, string state, int second, HubContext? context = null, string attributes = "{}", bool isNew = false, int changedSecond = -1, string? client = null) =>
        new(entity, state, attributes, T0.AddSeconds(changedSecond < 0 ? second : changedSecond), T0.AddSeconds(second), context ?? HubContext.New(), client, StateRecordKind.Changed, isNew);

    [Test]
    public void Process_TokenCallsService_EntryNamesUserTokenAndService()
    {
        var context = HubContext.New("owner-id");
        var call = new EventRecord("call_service", """{"domain":"input_boolean","service":"turn_on","service_data":{"entity_id":"input_boolean.porch"}}""", "LOCAL", T0, context, "Tasker");
        var change = S("input_boolean.porch", "on", 0, context, """{"friendly_name":"Porch light","icon":"mdi:lightbulb"}""", client: "Tasker");

        var entry = new LogbookProcessor(All, includeNames: true, id => id == "owner-id" ? "Owner" : null).Process([call, change]).Single();

        Assert.That(entry.EntityId, Is.EqualTo("input_boolean.porch"));
        Assert.That(entry.Name, Is.EqualTo("Porch light"));
        Assert.That(entry.Icon, Is.EqualTo("mdi:lightbulb"));
        Assert.That((entry.ContextUserId, entry.ContextUserName, entry.ContextClientName), Is.EqualTo(("owner-id", "Owner", "Tasker")));
        Assert.That((entry.ContextEventType, entry.ContextDomain, entry.ContextService), Is.EqualTo(("call_service", "input_boolean", "turn_on")));
    }

    [Test]
    public void Process_ChangeCausedByAnotherEntity_NamesThatEntity()
    {
        var trigger = S("binary_sensor.door", "on", 0);
        var parent = trigger.Context;
        var light = S("light.hall", "on", 1, new HubContext(HubContext.New().Id, parent.Id));

        var entries = new LogbookProcessor(All, includeNames: false).Process([trigger, light]);

        Assert.That((entries[1].ContextEntityId, entries[1].ContextState), Is.EqualTo(("binary_sensor.door", "on")));
        Assert.That(entries[1].Name, Is.Null, "the WebSocket API leaves names out");
    }

    [Test]
    public void Process_SkipsAttributeOnlyNewEntitiesAndSensorsWithUnits()
    {
        var entries = new LogbookProcessor(All, includeNames: false).Process(
        [
            S("light.a", "on", 5, changedSecond: 1),
            S("light.b", "on", 5, isNew: true),
            S("sensor.power", "12", 5, attributes: """{"unit_of_measurement":"W"}"""),
            S("sensor.mode", "eco", 5),
        ]);

        Assert.That(entries.Select(e => e.EntityId), Is.EqualTo(new[] { "sensor.mode" }));
    }

    [Test]
    public void Process_LogbookEntryEvent_BecomesAnEntry()
    {
        var e = new EventRecord("logbook_entry", """{"name":"Alarm","message":"armed by the wall tablet","entity_id":"alarm_control_panel.home"}""", "LOCAL", T0, HubContext.New(), null);

        var entry = new LogbookProcessor(All, includeNames: true).Process([e]).Single();

        Assert.That((entry.Name, entry.Message, entry.Domain, entry.EntityId), Is.EqualTo(("Alarm", "armed by the wall tablet", "alarm_control_panel", "alarm_control_panel.home")));
    }

    [Test]
    public void Process_ContextIdFilter_OnlyThatContext()
    {
        var a = S("light.a", "on", 1);
        var b = S("light.b", "on", 2);

        var entries = new LogbookProcessor(All with { ContextId = b.Context.Id }, includeNames: false).Process([a, b]);

        Assert.That(entries.Select(e => e.EntityId), Is.EqualTo(new[] { "light.b" }));
    }
}
