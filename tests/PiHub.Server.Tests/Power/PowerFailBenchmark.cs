using System.Diagnostics;
using PiHub.Core;
using PiHub.Core.Auth.Model;
using PiHub.Core.Auth.Storage;
using PiHub.Core.Hub;
using PiHub.Core.Power;
using PiHub.Testing;

namespace PiHub.Server.Tests.Power;

/// <summary>
/// Figures for scripts/bench.sh: time from a power-fail edge (the simulated line changing level,
/// delivered on the driver's event thread as libgpiod delivers it) to "writes refused and the auth,
/// hub and history stores flushed", over many edges while the auth and hub stores take commits as
/// fast as they can.
/// Written as JSON through <see cref="BenchFigures"/> (scripts/lib/bench-power.sh). Explicit: not in CI.
/// </summary>
[Explicit("benchmark: run by scripts/bench.sh")]
[Category("Bench")]
public sealed class PowerFailBenchmark
{
    [Test]
    public async Task Bench_PowerFailEdgeToFlushed_UnderWriteLoad([Values(1000)] int edges)
    {
        await using var power = await PowerHub.StartAsync();
        await power.Hub.OnboardAsync();
        var authStore = power.Hub.Service<IAuthStore>();
        var hubStore = power.Hub.Service<IHubStore>();
        using var stop = new CancellationTokenSource();
        var commits = 0L;
        var load = new[]
        {
            Task.Run(() => LoadAsync(n => authStore.CommitAsync(new AuthChangeSet($"bench ban {n}").Put(new IpBan
            {
                Id = $"10.99.{n / 250 % 4}.{n % 250}", BannedAt = DateTimeOffset.UnixEpoch, BannedUntil = DateTimeOffset.UnixEpoch.AddHours(1), Reason = "bench",
            })), () => Interlocked.Increment(ref commits), stop.Token)),
            Task.Run(() => LoadAsync(n => hubStore.PutAsync("bench", $"k{n % 1000}", $"{{\"n\":{n}}}"), () => Interlocked.Increment(ref commits), stop.Token)),
        };

        var times = new List<double>(edges);
        var seen = new List<double>(edges);
        for (var i = 0; i < edges; i++)
        {
            var edge = Stopwatch.GetTimestamp();
            power.Sim.Gpio.SetInput(PowerHub.FailPin, true);
            // Waits without spinning: a spinning test thread would take one of the cores the flush needs.
            await power.Sim.Gpio.DrainAsync();
            // The hub's own figure: from the edge reaching it on the driver's event thread to the last store flushed.
            times.Add((await power.Power.LastFlush).TotalMilliseconds);
            seen.Add(Stopwatch.GetElapsedTime(edge).TotalMilliseconds);
            await power.Power.WhenSettledAsync();
            await power.ReleaseAsync();
            await power.RecoverAsync();
        }

        await stop.CancelAsync();
        await Task.WhenAll(load);
        times.Sort();
        seen.Sort();
        BenchFigures.Write("pihub-power", ("power_fail_p50_ms", Math.Round(times[times.Count / 2], 3)),
            ("power_fail_p99_ms", Math.Round(times[times.Count * 99 / 100], 3)), ("power_fail_max_ms", Math.Round(times[^1], 3)));
        TestContext.Out.WriteLine($"BENCH power_fail: p50 {times[times.Count / 2]:F3} ms, p99 {times[times.Count * 99 / 100]:F3} ms, max {times[^1]:F3} ms " +
                                  $"({edges} edges to writes refused and the auth, hub and history stores flushed; {Interlocked.Read(ref commits)} commits accepted meanwhile; " +
                                  $"as the test thread saw it, with its own wake-ups: p50 {seen[seen.Count / 2]:F3} ms, p99 {seen[seen.Count * 99 / 100]:F3} ms)");
        Assert.That(power.Power.Brownouts, Has.Count.EqualTo(edges));
    }

    /// <summary>Commits as fast as the store takes them; refusals (the gate closed) back off briefly.</summary>
    private static async Task LoadAsync(Func<int, Task> commit, Action accepted, CancellationToken stop)
    {
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            try
            {
                await commit(n);
                accepted();
            }
            catch (Exception ex) when (StoreRefusedException.IsPowerFailing(ex))
            {
                await Task.Delay(1, CancellationToken.None);
            }
        }
    }
}
