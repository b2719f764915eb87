using PiHub.Core.Hub;

namespace PiHub.Core.Tests.Hub;

public class HubContextTests
{
    [Test]
    public void NewUlid_Later_SortsAfterEarlier()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var first = HubContext.NewUlid(time);
        time.Advance(TimeSpan.FromMilliseconds(2));
        var second = HubContext.NewUlid(time);

        Assert.That(first, Has.Length.EqualTo(26));
        Assert.That(string.CompareOrdinal(first, second), Is.LessThan(0));
        var third = HubContext.NewUlid(time);
        Assert.That(HubContext.NewUlid(time), Is.Not.EqualTo(third));
    }
}
