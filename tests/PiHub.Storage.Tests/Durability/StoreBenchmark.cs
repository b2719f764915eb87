using System.Diagnostics;
using PiHub.Core.Auth.Model;
using PiHub.Core.Auth.Storage;
using PiHub.Storage.Auth;
using PiHub.Storage.Tests.Support;
using PiHub.Testing;

namespace PiHub.Storage.Tests.Durability;

/// <summary>
/// Figures for scripts/bench.sh: commit latency p50/p99 with durability on and off, snapshot
/// time, and open/validate time for a store of 100 users and 10,000 tokens, written as JSON through
/// <see cref="BenchFigures"/> (scripts/lib/bench-store.sh). Explicit: not in CI.
/// </summary>
[Explicit("benchmark: run by scripts/bench.sh")]
[Category("Bench")]
public sealed class StoreBenchmark
{
    [Test]
    public async Task Bench_CommitLatency_DurableAndNot([Values] bool durable)
    {
        using var dir = new TempDir();
        var options = StoreFactory.Options(dir.Path);
        options.Durable = durable;
        using var store = StoreFactory.Open(options);
        await store.CommitAsync(AuthSamples.CreateOwner());
        var times = new List<double>();
        for (var n = 0; n < 500; n++)
        {
            var watch = Stopwatch.StartNew();
            await store.CommitAsync(new AuthChangeSet("token").Put(AuthSamples.Token(n)));
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        var kind = durable ? "durable" : "nodurable";
        BenchFigures.Write("pihub-store", ($"commit_{kind}_p50_ms", Math.Round(times[times.Count / 2], 2)), ($"commit_{kind}_p99_ms", Math.Round(times[times.Count * 99 / 100], 2)));
        TestContext.Out.WriteLine($"BENCH commit durable={durable}: p50 {times[times.Count / 2]:F2} ms, p99 {times[times.Count * 99 / 100]:F2} ms, max {times[^1]:F2} ms (500 commits of one token)");
    }

    [Test]
    public async Task Bench_SnapshotAndOpen_HundredUsersTenThousandTokens()
    {
        using var dir = new TempDir();
        using (var store = StoreFactory.Open(dir.Path))
        {
            await store.CommitAsync(AuthSamples.CreateOwner());
            for (var n = 1; n < 100; n++) await store.CommitAsync(AuthSamples.AddUser(n));
            for (var batch = 0; batch < 10; batch++)
            {
                await store.CommitAsync(new AuthChangeSet("tokens").PutAll(
                    Enumerable.Range(batch * 1000, 1000).Select(k => AuthSamples.Token(k, $"u{1 + (k % 99)}"))));
            }

            var watch = Stopwatch.StartNew();
            await store.SnapshotAsync();
            BenchFigures.Write("pihub-store", ("snapshot_10k_ms", watch.ElapsedMilliseconds));
            TestContext.Out.WriteLine($"BENCH snapshot (100 users, 10,000 tokens): {watch.ElapsedMilliseconds} ms, file {new FileInfo(Directory.GetFiles(Path.Combine(dir.Path, "snapshots"))[0]).Length / 1024} KiB");
        }

        var open = Stopwatch.StartNew();
        using (var reopened = StoreFactory.Open(dir.Path))
        {
            BenchFigures.Write("pihub-store", ("open_validate_10k_ms", open.ElapsedMilliseconds));
            TestContext.Out.WriteLine($"BENCH open + validate (100 users, 10,000 tokens): {open.ElapsedMilliseconds} ms, auth.db {new FileInfo(Path.Combine(dir.Path, "auth.db")).Length / 1024} KiB");
            Assert.That(reopened.Current.RefreshTokens, Has.Count.EqualTo(10_000));
            var commit = Stopwatch.StartNew();
            await reopened.CommitAsync(new AuthChangeSet("one more").Put(AuthSamples.Token(99_999)));
            BenchFigures.Write("pihub-store", ("commit_on_10k_ms", Math.Round(commit.Elapsed.TotalMilliseconds, 2)));
            TestContext.Out.WriteLine($"BENCH one commit on that store: {commit.Elapsed.TotalMilliseconds:F2} ms");
        }

        Corruptor.Truncate(Path.Combine(dir.Path, "auth.db"), 0);
        var recover = Stopwatch.StartNew();
        using (var recovered = StoreFactory.Open(dir.Path))
        {
            BenchFigures.Write("pihub-store", ("recovery_10k_ms", recover.ElapsedMilliseconds));
            TestContext.Out.WriteLine($"BENCH start-up recovery from snapshot (truncated auth.db): {recover.ElapsedMilliseconds} ms, outcome {recovered.Recovery?.Outcome}");
        }
    }
}
