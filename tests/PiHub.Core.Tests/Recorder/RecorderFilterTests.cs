using PiHub.Core.Recorder;

namespace PiHub.Core.Tests.Recorder;

public sealed class RecorderFilterTests
{
    [Test]
    public void Records_NoFilter_Everything() =>
        Assert.That(RecorderFilter.All.Records("sensor.x"), Is.True);

    [TestCase("sensor.kept", true)]
    [TestCase("sensor.other", false)]
    [TestCase("light.hall", true)]
    [TestCase("light.attic", false)]
    [TestCase("switch.pump", false)]
    public void Records_IncludeAndExclude_EntityListsWinOverDomains(string entityId, bool expected)
    {
        var filter = new RecorderFilter(["light"], ["sensor.kept"], ["sensor"], ["light.attic"], []);

        Assert.That(filter.Records(entityId), Is.EqualTo(expected));
    }

    [Test]
    public void RecordsEvent_ExcludedType_False()
    {
        var filter = new RecorderFilter([], [], [], [], ["noisy"]);

        Assert.That((filter.RecordsEvent("noisy"), filter.RecordsEvent("call_service")), Is.EqualTo((false, true)));
    }
}
