using PiHub.Core.Hub;
using PiHub.Core.Recorder;

namespace PiHub.Core.Tests.Recorder;

public sealed class HistoryDataTests
{
    [Test]
    public void Merge_MoreRecordsThanAnAnswerHolds_StopsAtTheLimitAndSaysSo()
    {
        var data = new HistoryData();
        var read = new HistoryRead(DateTimeOffset.MinValue, DateTimeOffset.MaxValue, null);
        var record = new StateRecord("sensor.a", "1", "{}", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, HubContext.New(), null);

        for (var i = 0; i <= HistoryData.MaxItems; i++) HistoryRecorder.Merge(data, read, record);

        Assert.That((data.Items.Count, data.Truncated), Is.EqualTo((HistoryData.MaxItems, true)));
    }
}
