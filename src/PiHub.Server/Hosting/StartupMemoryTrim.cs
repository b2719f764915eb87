using Microsoft.AspNetCore.Builder;

namespace PiHub.Server.Hosting;

/// <summary>
/// Gives start-up's garbage back to the system once the hub is up. Building the host (configuration, routes,
/// the service graph, Kestrel) leaves megabytes of dead objects, and the GC, which collects only when
/// allocations ask it to, keeps their memory committed: a hub at rest allocates too little to ever trigger
/// that collection. One aggressive, compacting collection a few seconds after start-up frees it (measured idle
/// RSS 10 s after start: 50.6 → 41.3 MB on x64). It runs once; the steady state is left to the GC. Scheduled by the
/// executable only, so in-process test hosts (many in one process) never stop each other's threads for it.
/// </summary>
internal static class StartupMemoryTrim
{
    /// <summary>Long enough for the first clients' burst after a restart (reconnecting dashboards and apps) to pass.</summary>
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(5);

    /// <summary>Collects once, <see cref="Delay"/> after the application has started.</summary>
    public static void Schedule(WebApplication app) =>
        app.Lifetime.ApplicationStarted.Register(() => _ = Task.Delay(Delay, app.Lifetime.ApplicationStopping).ContinueWith(
            static t =>
            {
                if (!t.IsCanceled) GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default));
}
