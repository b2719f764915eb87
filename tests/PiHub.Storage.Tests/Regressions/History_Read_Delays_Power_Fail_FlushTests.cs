using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PiHub.Core.Hub;
using PiHub.Core.Recorder;
using PiHub.Storage.Recorder;
using PiHub.Storage.Tests.Support;
using PiHub.Testing;

namespace PiHub.Storage.Tests.Regressions;

/// <summary>
/// Issue 23: a history read held the recorder's store gate while it read up to 250,000 records, so a
/// power-fail edge's flush waited for the whole read while the supply was failing. Reads now capture the
/// file list under the gate and read outside it.
/// </summary>
public sealed class History_Read_Delays_Power_Fail_FlushTests
{
    private static readonly DateTimeOffset Day = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task FlushAsync_DuringReadOf250kRecords_CompletesWhileTheReadIsStillRunning()
    {
        using var dir = new TempDir();
        var days = DayLogHistoryStore.Open(dir.Path, NullLogger.Instance, TimeProvider.System, durable: false);
        // 250,000 records, four a second, all on one day.
        for (var b = 0; b < 25; b++)
        {
            days.Append([.. Enumerable.Range(0, 10_000).Select(i =>
                (Recorded)HistorySamples.State($"sensor.s{i % 100}", i.ToString(System.Globalization.CultureInfo.InvariantCulture), Day.AddMilliseconds(250.0 * (b * 10_000 + i))))]);
        }

        // The read pauses (once it has begun) until the flush is done, or 30 s: with the gate held across
        // the read, the flush cannot finish first and the read gives up waiting.
        var store = new PausingReads(days);
        var time = new FakeTimeProvider(Day.AddDays(1));
        var hub = new HubCore(new HubInfo("Home", "UTC", "metric", "0"), new InMemoryHubStore(), [], time);
        await using var recorder = new HistoryRecorder(hub, store, new RecorderOptions(), NullLogger.Instance);
        recorder.Start();
        hub.States.Set("switch.pump", "on");

        var read = Task.Run(() => recorder.ReadAsync(new HistoryRead(Day, Day.AddDays(1), null, StartStates: false, States: true, Events: true)));
        Assert.That(store.ReadBegun.Wait(TimeSpan.FromSeconds(30)), Is.True, "the read began");
        var flush = recorder.FlushAsync();
        var flushedFirst = await Task.WhenAny(flush, Task.Delay(TimeSpan.FromSeconds(10))) == flush;
        store.FlushDone.Set();
        var (data, _) = await read;

        Assert.That(flushedFirst, Is.True, "the power-fail flush finished while the 250k-record read was still running");
        Assert.That(await flush, Is.True);
        Assert.That(days.Read(new HistoryRead(Day.AddDays(1), Day.AddDays(2), null, StartStates: false, States: true, Events: true)).Items
            .OfType<StateRecord>().Select(s => s.EntityId), Does.Contain("switch.pump"), "the flush reached the store");
        Assert.That(data.Items, Has.Count.EqualTo(250_000));
    }

    /// <summary>The day log, with reads that wait for the test's flush once they have begun.</summary>
    private sealed class PausingReads(DayLogHistoryStore inner) : IHistoryStore
    {
        public ManualResetEventSlim ReadBegun { get; } = new();

        public ManualResetEventSlim FlushDone { get; } = new();

        public string Name => inner.Name;

        public string? StartupReport => inner.StartupReport;

        public long SizeBytes => inner.SizeBytes;

        public void Append(IReadOnlyList<Recorded> batch) => inner.Append(batch);

        public HistoryData Read(HistoryRead request) => Pause(inner.Read, request);

        public Func<HistoryRead, HistoryData> CaptureReader()
        {
            var read = inner.CaptureReader();
            return request => Pause(read, request);
        }

        public string PurgeBefore(DateTimeOffset cutoff) => inner.PurgeBefore(cutoff);

        public void Dispose()
        {
            inner.Dispose();
            ReadBegun.Dispose();
            FlushDone.Dispose();
        }

        private HistoryData Pause(Func<HistoryRead, HistoryData> read, HistoryRead request)
        {
            ReadBegun.Set();
            FlushDone.Wait(TimeSpan.FromSeconds(30));
            return read(request);
        }
    }
}
