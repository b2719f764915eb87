using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PiHub.Core.Hub;
using PiHub.Core.Recorder;
using PiHub.Storage.Recorder;
using PiHub.Storage.Tests.Recorder.Candidates;
using PiHub.Storage.Tests.Support;
using PiHub.Testing;

namespace PiHub.Storage.Tests.Recorder;

/// <summary>
/// The measurement that chose the history store (scripts/lib/bench-recorder.sh runs it; the figures go to
/// scripts/bench.sh as JSON through <see cref="BenchFigures"/>; not in CI).
/// Both candidates, on real files in this process:
/// <list type="bullet">
/// <item>bytes written: 100 entities each changing once a minute for 10 minutes of a fake clock
/// (time compressed: the recorder commits every 5 simulated seconds, 120 commits, each flushed to
/// disk for real), from this process's <c>/proc/self/io</c>, times 6 for an hour;</item>
/// <item>query: one entity over one day of 144,000 changes (100 entities, one a minute each);</item>
/// <item>recovery: power cut at every operation of a run of commits on a simulated medium.</item>
/// </list>
/// </summary>
[Explicit("benchmark: run by scripts/lib/bench-recorder.sh")]
[Category("RecorderBench")]
public sealed class HistoryStoreBenchmark
{
    private const int Entities = 100;
    private static readonly DateTimeOffset Day = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);

    private static readonly string[] s_kinds = ["day log", "LiteDB"];

    /// <summary>The variant scripts/bench.sh files a candidate's figures under.</summary>
    private static string Variant(string kind) => kind == "day log" ? "recorder-daylog" : "recorder-litedb";

    private static IHistoryStore Open(string kind, string dir, bool durable = true) => kind == "day log"
        ? DayLogHistoryStore.Open(dir, NullLogger.Instance, TimeProvider.System, durable)
        : LiteHistoryStore.Open(dir, NullLogger.Instance, TimeProvider.System, durable);

    private static string Attributes(int i) =>
        $$"""{"unit_of_measurement":"W","device_class":"power","state_class":"measurement","friendly_name":"Bench {{i}}"}""";

    [TestCaseSource(nameof(s_kinds))]
    public async Task Bench_WriteVolume_HundredEntitiesOnceAMinute(string kind)
    {
        using var dir = new TempDir();
        var time = new FakeTimeProvider(Day.AddHours(12));
        var hub = new HubCore(new HubInfo("Bench", "UTC", "metric", "0"), new InMemoryHubStore(), [], time);
        for (var i = 1; i <= Entities; i++) hub.States.Set($"sensor.bench_{i}", "0", System.Text.Json.JsonDocument.Parse(Attributes(i)).RootElement);
        var recorder = new HistoryRecorder(hub, Open(kind, dir.Path), new RecorderOptions(), NullLogger.Instance);
        recorder.Start();
        await recorder.FlushAsync();

        // Idle: ten simulated minutes without a change.
        var idle = ProcIo.Read();
        for (var step = 0; step < 120; step++)
        {
            time.Advance(TimeSpan.FromSeconds(5));
            await recorder.FlushAsync();
        }

        var idleBytes = ProcIo.Read() - idle;

        // Load: entity i changes at second 0.6·i of every minute; a commit every 5 s.
        var before = ProcIo.Read();
        var clock = Stopwatch.StartNew();
        var value = 0;
        for (var step = 0; step < 120; step++)
        {
            var stepStart = time.GetUtcNow();
            for (var i = 1; i <= Entities; i++)
            {
                var at = TimeSpan.FromMilliseconds(600 * (i - 1));
                var minuteOffset = TimeSpan.FromSeconds(step * 5 % 60);
                if (at >= minuteOffset && at < minuteOffset + TimeSpan.FromSeconds(5))
                {
                    time.SetUtcNow(stepStart + (at - minuteOffset));
                    hub.States.Set($"sensor.bench_{i}", (++value % 5000 / 10.0).ToString("0.0", CultureInfo.InvariantCulture),
                        System.Text.Json.JsonDocument.Parse(Attributes(i)).RootElement);
                }
            }

            time.SetUtcNow(stepStart + TimeSpan.FromSeconds(5));
            await recorder.FlushAsync();
        }

        await recorder.DisposeAsync(); // LiteDB's checkpoint on close counts too
        var written = ProcIo.Read() - before;
        BenchFigures.Write(Variant(kind), ("bytes_per_hour_sim", written.WriteBytes * 6), ("wchar_per_hour_sim", written.WChar * 6),
            ("idle_bytes_per_hour_sim", idleBytes.WriteBytes * 6));
        TestContext.Out.WriteLine($"BENCH recorder {kind}: write_bytes_per_hour {written.WriteBytes * 6} wchar_per_hour {written.WChar * 6} idle_write_bytes_per_hour {idleBytes.WriteBytes * 6} " +
            $"(10 simulated minutes x6, {Entities} entities once a minute, commit every 5 s, {value} changes, {clock.ElapsedMilliseconds} ms real)");
    }

    [TestCaseSource(nameof(s_kinds))]
    public void Bench_QueryOneEntityOneDay_HundredEntitiesOnceAMinute(string kind)
    {
        using var dir = new TempDir();
        using (var store = Open(kind, dir.Path, durable: false)) WriteDay(store, Day);
        using var reopened = Open(kind, dir.Path);
        var query = new HistoryQuery(Day, Day.AddDays(1), ["sensor.bench_42"]);
        var times = new List<double>();
        var rows = 0;
        for (var run = 0; run < 21; run++)
        {
            var watch = Stopwatch.StartNew();
            var history = HistoryBuilder.Build(query, reopened.Read(query.ToRead()));
            times.Add(watch.Elapsed.TotalMilliseconds);
            rows = history.Single().Rows.Count;
        }

        times.Sort();
        BenchFigures.Write(Variant(kind), ("query_day_ms", Math.Round(times[10], 2)), ("query_day_min_ms", Math.Round(times[0], 2)));
        TestContext.Out.WriteLine($"BENCH recorder {kind}: query_one_entity_day p50 {times[10]:F2} ms p95 {times[19]:F2} ms min {times[0]:F2} ms " +
            $"({rows} rows of {Entities * 1440} changes committed every 5 s; store {reopened.SizeBytes / 1024} KiB)");
    }

    [TestCaseSource(nameof(s_kinds))]
    public void Bench_PowerCut_EveryOperationOfFortyCommits(string kind)
    {
        var medium = new SimulatedMedium();
        var files = new SimulatedHistoryFiles(medium);
        var commits = new List<List<Recorded>>();
        var acks = new List<int>();
        using (var store = kind == "day log"
                   ? (IHistoryStore)DayLogHistoryStore.Open(files, NullLogger.Instance, TimeProvider.System)
                   : LiteHistoryStore.Open(medium.Open("data"), medium.Open("log"), durable: true, null))
        {
            for (var n = 0; n < 40; n++)
            {
                var batch = HistorySamples.Batch(n, HistorySamples.T0.AddSeconds(n * 5));
                store.Append(batch);
                commits.Add(batch);
                acks.Add(medium.OpCount);
            }
        }

        var random = new Random(5);
        var (cuts, damaged, lost, opens) = (0, 0, 0, new List<double>());
        foreach (var model in new[] { CutModel.OnlyFlushed, CutModel.BarrierPlusPrefix, CutModel.Reordered, CutModel.OlderLog })
        {
            for (var cut = 0; cut <= medium.OpCount; cut++, cuts++)
            {
                var acknowledged = acks.Count(a => a <= cut);
                var watch = Stopwatch.StartNew();
                try
                {
                    using var reopened = kind == "day log"
                        ? (IHistoryStore)DayLogHistoryStore.Open(new SimulatedHistoryFiles(new SimulatedMedium(), files.ImagesAfterCut(cut, model, random)), NullLogger.Instance, TimeProvider.System)
                        : LiteHistoryStore.Open(Expandable(medium.ImageAfterCut("data", cut, model, random, false)), Expandable(medium.ImageAfterCut("log", cut, model, random, true)), durable: false, null);
                    var read = HistorySamples.ReadAll(reopened).Items.Count;
                    opens.Add(watch.Elapsed.TotalMilliseconds);
                    if (reopened.StartupReport is not null) damaged++;
                    if (read < commits.Take(acknowledged).Sum(c => c.Count)) lost++;
                }
                catch (Exception)
                {
                    damaged++;
                }
            }
        }

        opens.Sort();
        BenchFigures.Write(Variant(kind), ("power_cut_damaged", damaged), ("power_cut_lost", lost),
            ("open_after_cut_ms", Math.Round(opens[opens.Count / 2], 2)));
        TestContext.Out.WriteLine($"BENCH recorder {kind}: power_cut cuts {cuts} damaged {damaged} lost_acknowledged {lost} open_after_cut_p50 {opens[opens.Count / 2]:F2} ms " +
            $"({medium.OpCount} operations for 40 commits, every operation cut under 4 models)");
        Assert.That((damaged, lost), Is.EqualTo((0, 0)));
    }

    /// <summary>
    /// Writes one day of history ending now into PIHUB_BENCH_HISTORY_DIR (a PiHub data folder), for
    /// scripts/bench.sh to time <c>GET /api/history/period</c> on the published binary.
    /// </summary>
    [Test]
    [Category("RecorderBenchSeed")]
    public void Seed_OneDayEndingNow_ForThePublishedBinary()
    {
        var target = Environment.GetEnvironmentVariable("PIHUB_BENCH_HISTORY_DIR");
        if (string.IsNullOrEmpty(target)) Assert.Ignore("set PIHUB_BENCH_HISTORY_DIR to the data folder to seed (scripts/bench.sh does)");
        using var store = DayLogHistoryStore.Open(target, NullLogger.Instance, TimeProvider.System, durable: false);
        WriteDay(store, DateTimeOffset.UtcNow.AddDays(-1));
        TestContext.Out.WriteLine($"BENCH seeded {Entities * 1440} changes into {target}/history ({store.SizeBytes / 1024} KiB)");
    }

    /// <summary>A day of 100 entities changing once a minute (entity i at second 0.6·i), committed every 5 s as the recorder does.</summary>
    private static void WriteDay(IHistoryStore store, DateTimeOffset start)
    {
        var value = 0;
        var batch = new List<Recorded>();
        for (var minute = 0; minute < 1440; minute++)
        {
            for (var i = 1; i <= Entities; i++)
            {
                var offset = TimeSpan.FromMilliseconds(600 * (i - 1));
                var at = start.AddMinutes(minute) + offset;
                batch.Add(new StateRecord($"sensor.bench_{i}", (++value % 5000 / 10.0).ToString("0.0", CultureInfo.InvariantCulture), Attributes(i), at, at,
                    HubContext.New(time: TimeProvider.System), null));
                var next = i == Entities ? TimeSpan.FromMinutes(1) : offset + TimeSpan.FromMilliseconds(600);
                if ((int)(next.TotalSeconds / 5) != (int)(offset.TotalSeconds / 5))
                {
                    store.Append(batch);
                    batch = [];
                }
            }
        }
    }

    private static MemoryStream Expandable(byte[] bytes)
    {
        var ms = new MemoryStream();
        ms.Write(bytes);
        ms.Position = 0;
        return ms;
    }

    /// <summary>This process's I/O counters from /proc/self/io.</summary>
    private readonly record struct ProcIo(long WriteBytes, long WChar)
    {
        public static ProcIo Read()
        {
            long write = 0, wchar = 0;
            foreach (var line in File.ReadAllLines("/proc/self/io"))
            {
                var parts = line.Split(':', 2, StringSplitOptions.TrimEntries);
                if (parts[0] == "write_bytes") write = long.Parse(parts[1], CultureInfo.InvariantCulture);
                if (parts[0] == "wchar") wchar = long.Parse(parts[1], CultureInfo.InvariantCulture);
            }

            return new ProcIo(write, wchar);
        }

        public static ProcIo operator -(ProcIo a, ProcIo b) => new(a.WriteBytes - b.WriteBytes, a.WChar - b.WChar);
    }
}
