using System.Diagnostics;
using PiHub.Core.Auth.Storage;
using PiHub.Storage.Tests.Support;
using PiHub.Testing;

namespace PiHub.Storage.Tests.Durability;

/// <summary>
/// A child process commits auth changes and prints each acknowledged one; it is killed with
/// SIGKILL at a random moment; the store must then open, validate and hold every acknowledged
/// change. 100 trials here, 1,000 with PIHUB_TORTURE=1 (scripts/torture.sh).
/// </summary>
public sealed class KillTests
{
    private static readonly int s_trials = Environment.GetEnvironmentVariable("PIHUB_TORTURE") == "1" ? 1000 : int.Parse(Environment.GetEnvironmentVariable("PIHUB_KILL_TRIALS") ?? "100", System.Globalization.CultureInfo.InvariantCulture);

    [Test]
    [CancelAfter(1_800_000)]
    public async Task KillDashNine_RandomMoment_EveryAcknowledgedChangeSurvives()
    {
        using var dir = new TempDir();
        var random = new Random(20261126);
        var acknowledgedUsers = new HashSet<string>();
        long acknowledgedGeneration = 0;
        var recoveries = 0;

        for (var trial = 0; trial < s_trials; trial++)
        {
            var (gen, users) = await RunAndKill(dir.Path, random.Next(), TimeSpan.FromMilliseconds(random.Next(0, 250)));
            acknowledgedGeneration = Math.Max(acknowledgedGeneration, gen);
            acknowledgedUsers.UnionWith(users);

            using var store = StoreFactory.Open(dir.Path);
            if (store.Recovery is not null) recoveries++;
            Assert.That(store.Recovery, Is.Null, $"trial {trial}: {store.Recovery?.Describe()}");
            Assert.That(AuthInvariants.Check(store.Current), Is.Empty);
            Assert.That(store.Current.Generation, Is.GreaterThanOrEqualTo(acknowledgedGeneration), $"trial {trial}");
            Assert.That(store.Current.Users.Keys, Is.SupersetOf(acknowledgedUsers), $"trial {trial}");
        }

        Assert.That(acknowledgedGeneration, Is.GreaterThan(s_trials / 2), "the child barely committed anything");
        TestContext.Out.WriteLine($"{s_trials} kills, last acknowledged generation {acknowledgedGeneration}, {recoveries} recoveries");
    }

    [Test]
    public async Task Open_WhileAnotherProcessHoldsTheStore_LockedNamingThatProcess()
    {
        using var dir = new TempDir();
        var (process, opened) = StartChild(dir.Path, 1);
        using (process)
        {
            await Wait.ForAsync(opened, "the child process to open the store");

            var ex = Assert.Throws<AuthStoreException>(() => StoreFactory.Open(dir.Path));

            Assert.That(ex!.Error, Is.EqualTo(AuthStoreError.Locked));
            Assert.That(ex.Message, Does.Contain($"process {process.Id} (dotnet)"));
            process.Kill();
            await process.WaitForExitAsync();
        }

        // Once the holder is gone (even killed), the lock is free: flock dies with the process.
        using var store = StoreFactory.Open(dir.Path);
        Assert.That(store.Recovery, Is.Null);
    }

    private static (Process Process, Task Opened) StartChild(string dir, int seed)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "PiHub.Storage.CrashChild.dll"));
        info.ArgumentList.Add(dir);
        info.ArgumentList.Add(seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var process = Process.Start(info)!;
        var opened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.StartsWith("OPEN", StringComparison.Ordinal) == true) opened.TrySetResult();
        };
        process.BeginOutputReadLine();
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return (process, opened.Task);
    }

    private static async Task<(long Generation, List<string> Users)> RunAndKill(string dir, int seed, TimeSpan after)
    {
        var child = Path.Combine(AppContext.BaseDirectory, "PiHub.Storage.CrashChild.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(child);
        info.ArgumentList.Add(dir);
        info.ArgumentList.Add(seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var process = Process.Start(info)!;
        var lines = new List<string>();
        var committing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (lines) lines.Add(e.Data);
            if (e.Data.StartsWith("ACK ", StringComparison.Ordinal)) committing.TrySetResult();
        };
        process.BeginOutputReadLine();
        var stderr = process.StandardError.ReadToEndAsync();

        // Kill at a random moment of the commit loop, once the child has opened the store and
        // acknowledged a first commit (so every such trial adds at least one generation, however
        // slow the disk), and sometimes before anything: after == 0.
        if (after > TimeSpan.Zero)
        {
            try
            {
                await Wait.ForAsync(committing.Task, "the child process to open the store and commit");
            }
            catch (TimeoutException)
            {
                Assert.Fail("child did not open the store and commit: " + await StderrSoFar(process, stderr));
            }

            // A real wait on purpose: the kill must land at a random moment of the child's own
            // commit loop (another process, on the real clock), which no signal can stand in for.
            await Task.Delay(after);
        }

        Assert.That(process.HasExited, Is.False, "the child stopped on its own: " + (process.HasExited ? await stderr : ""));
        process.Kill(); // SIGKILL on Linux
        await process.WaitForExitAsync();
        process.WaitForExit(); // drains the redirected output

        List<string> snapshot;
        lock (lines) snapshot = [.. lines];
        var acks = snapshot.Where(l => l.StartsWith("ACK ", StringComparison.Ordinal)).Select(l => l.Split(' ')).ToList();
        var generation = acks.Count == 0 ? 0 : acks.Max(a => long.Parse(a[1], System.Globalization.CultureInfo.InvariantCulture));
        return (generation, acks.Where(a => a[2] != "-" && a[2] != "owner").Select(a => a[2]).ToList());
    }

    private static async Task<string> StderrSoFar(Process process, Task<string> stderr)
    {
        process.Kill();
        await process.WaitForExitAsync();
        return await stderr;
    }
}
