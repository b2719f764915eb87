using Microsoft.Extensions.Logging.Abstractions;
using PiHub.Core.Recorder;
using PiHub.Storage.Recorder;
using PiHub.Storage.Tests.Support;
using static PiHub.Storage.Tests.Support.HistorySamples;

namespace PiHub.Storage.Tests.Recorder;

/// <summary>A captured reader sees exactly the commits before the capture, whatever appends and purges come after.</summary>
public sealed class DayLogCaptureTests
{
    private static readonly HistoryRead All = new(DateTimeOffset.MinValue.AddYears(2000), DateTimeOffset.MaxValue.AddYears(-100), null,
        StartStates: false, States: true, Events: true);

    [Test]
    public void CaptureReader_LaterAppends_NotSeen()
    {
        using var dir = new TempDir();
        using var store = DayLogHistoryStore.Open(dir.Path, NullLogger.Instance, TimeProvider.System);
        store.Append(Batch(0, T0));

        var read = store.CaptureReader();
        store.Append(Batch(1, T0.AddMinutes(1)));
        store.Append(Batch(2, T0.AddDays(1)));

        Assert.That(read(All).Items, Has.Count.EqualTo(6));
        Assert.That(store.Read(All).Items, Has.Count.EqualTo(18));
    }

    [Test]
    public void CaptureReader_DayPurgedAfterCapture_ReadsTheRestWithoutThrowing()
    {
        using var dir = new TempDir();
        using var store = DayLogHistoryStore.Open(dir.Path, NullLogger.Instance, TimeProvider.System);
        store.Append(Batch(0, T0.AddDays(-3)));
        store.Append(Batch(1, T0));

        var read = store.CaptureReader();
        store.PurgeBefore(T0.AddDays(-1));

        Assert.That(read(All).Items, Has.Count.EqualTo(6), "the purged day reads as empty, the kept one in full");
    }
}
