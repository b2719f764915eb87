using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using PiHub.Core.Hub;

namespace PiHub.Core.Tests.Hub;

public class StateMachineTests
{
    private FakeTimeProvider _time = null!;
    private EventBus _bus = null!;
    private StateMachine _states = null!;
    private List<StateChangedEvent> _events = null!;

    [SetUp]
    public void SetUp()
    {
        _time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
        _bus = new EventBus();
        _states = new StateMachine(_bus, _time);
        _events = [];
        _bus.Subscribe(StateChangedEvent.Type, e => _events.Add((StateChangedEvent)e));
    }

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    [Test]
    public void Set_NewEntity_FiresEventWithoutOldState()
    {
        var state = _states.Set("sensor.temp", "21.5", Json("""{"unit_of_measurement":"°C"}"""));

        Assert.That(_events, Has.Count.EqualTo(1));
        Assert.That(_events[0].OldState, Is.Null);
        Assert.That(_events[0].NewState, Is.SameAs(state));
        Assert.That(state.LastChanged, Is.EqualTo(_time.GetUtcNow()));
    }

    [Test]
    public void Set_SameStateAndAttributes_FiresNothing()
    {
        _states.Set("sensor.temp", "21.5", Json("""{"a":1,"b":[1,2]}"""));
        _time.Advance(TimeSpan.FromSeconds(5));
        var again = _states.Set("sensor.temp", "21.5", Json("""{"b":[1,2],"a":1}"""));

        Assert.That(_events, Has.Count.EqualTo(1));
        Assert.That(again.LastUpdated, Is.EqualTo(_time.GetUtcNow() - TimeSpan.FromSeconds(5)));
    }

    [Test]
    public void Set_AttributesOnlyChanged_KeepsLastChangedAndMovesLastUpdated()
    {
        var first = _states.Set("sensor.temp", "21.5", Json("""{"a":1}"""));
        _time.Advance(TimeSpan.FromSeconds(5));
        var second = _states.Set("sensor.temp", "21.5", Json("""{"a":2}"""));

        Assert.That(_events, Has.Count.EqualTo(2));
        Assert.That(second.LastChanged, Is.EqualTo(first.LastChanged));
        Assert.That(second.LastUpdated, Is.EqualTo(first.LastUpdated + TimeSpan.FromSeconds(5)));
    }

    [TestCase("Light.Kitchen")]
    [TestCase("light")]
    [TestCase("light._kitchen")]
    [TestCase("light.kitchen__two")]
    [TestCase("light.kit-chen")]
    public void Set_InvalidEntityId_ThrowsWithExample(string id)
    {
        var ex = Assert.Throws<HubException>(() => _states.Set(id, "on"));
        Assert.That(ex!.Code, Is.EqualTo(HubErrorCodes.InvalidEntityId));
        Assert.That(ex.Message, Does.Contain("light.kitchen"));
    }

    [Test]
    public void Set_StateLongerThan255_IsRefusedWithLimit()
    {
        var ex = Assert.Throws<HubException>(() => _states.Set("sensor.text", new string('x', 256)));
        Assert.That(ex!.Message, Does.Contain("255"));
        Assert.That(_states.Get("sensor.text"), Is.Null);
    }

    [Test]
    public void Set_AttributesNotAnObject_IsRefused()
    {
        var ex = Assert.Throws<HubException>(() => _states.Set("sensor.x", "1", Json("[1,2]")));
        Assert.That(ex!.Code, Is.EqualTo(HubErrorCodes.InvalidFormat));
    }

    [Test]
    public void Remove_Existing_FiresEventWithoutNewState()
    {
        _states.Set("switch.fan", "on");

        Assert.That(_states.Remove("switch.fan"), Is.True);
        Assert.That(_states.Remove("switch.fan"), Is.False);
        Assert.That(_events[^1].NewState, Is.Null);
        Assert.That(_events[^1].OldState!.Value, Is.EqualTo("on"));
    }

    [Test]
    public void AllJson_AfterChange_ReflectsNewState()
    {
        _states.Set("switch.fan", "on");
        var before = JsonDocument.Parse(_states.AllJson()).RootElement;
        _states.Set("switch.fan", "off");
        var after = JsonDocument.Parse(_states.AllJson()).RootElement;

        Assert.That(before[0].GetProperty("state").GetString(), Is.EqualTo("on"));
        Assert.That(after[0].GetProperty("state").GetString(), Is.EqualTo("off"));
    }

    [Test]
    public void Json_State_HasHomeAssistantShape()
    {
        var state = _states.Set("light.kitchen", "on", null, new HubContext("01ABC", null, "user1"));
        var json = JsonDocument.Parse(state.Json.ToArray()).RootElement;

        Assert.That(json.GetProperty("entity_id").GetString(), Is.EqualTo("light.kitchen"));
        Assert.That(json.GetProperty("attributes").ValueKind, Is.EqualTo(JsonValueKind.Object));
        Assert.That(json.GetProperty("last_changed").GetString(), Is.EqualTo("2026-11-26T12:00:00.000000+00:00"));
        Assert.That(json.GetProperty("context").GetProperty("user_id").GetString(), Is.EqualTo("user1"));
    }
}
