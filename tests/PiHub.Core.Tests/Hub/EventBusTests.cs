using PiHub.Core.Hub;

namespace PiHub.Core.Tests.Hub;

public class EventBusTests
{
    private static CustomEvent Event(string type) => new(type, HubJson.EmptyObject, HubContext.New(), DateTimeOffset.UnixEpoch);

    [Test]
    public void Fire_TypedSubscription_GetsOnlyItsType()
    {
        var bus = new EventBus();
        var seen = new List<string>();
        bus.Subscribe("door_opened", e => seen.Add(e.EventType));
        bus.Subscribe(null, e => seen.Add("all:" + e.EventType));

        bus.Fire(Event("door_opened"));
        bus.Fire(Event("other"));

        Assert.That(seen, Is.EqualTo(new[] { "door_opened", "all:door_opened", "all:other" }));
    }

    [Test]
    public void Fire_HandlerThrows_OthersStillReceive()
    {
        var bus = new EventBus();
        var received = 0;
        bus.Subscribe(null, _ => throw new InvalidOperationException("boom"));
        bus.Subscribe(null, _ => received++);

        bus.Fire(Event("x"));

        Assert.That(received, Is.EqualTo(1));
    }

    [Test]
    public void Dispose_Subscription_StopsDelivery()
    {
        var bus = new EventBus();
        var received = 0;
        var sub = bus.Subscribe(null, _ => received++);
        sub.Dispose();
        sub.Dispose();

        bus.Fire(Event("x"));

        Assert.That(received, Is.Zero);
        Assert.That(bus.SubscriberCount, Is.Zero);
    }
}
