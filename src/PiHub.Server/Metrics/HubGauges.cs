using System.Diagnostics.Metrics;
using PiHub.Core.Admin;
using PiHub.Core.Auth.Bans;
using PiHub.Core.Auth.Storage;
using PiHub.Server.WebSockets;

namespace PiHub.Server.Metrics;

/// <summary>The figures read when a scrape asks: WebSocket clients, bans, the newest snapshot's age, and the process's CPU, memory and GC.</summary>
internal static class HubGauges
{
    private static readonly KeyValuePair<string, object?> s_gen0 = new("generation", "gen0");
    private static readonly KeyValuePair<string, object?> s_gen1 = new("generation", "gen1");
    private static readonly KeyValuePair<string, object?> s_gen2 = new("generation", "gen2");

    public static void Register(Meter meter, WsRegistry sockets, BanManager bans, IAuthStore store, TimeProvider time)
    {
        meter.CreateObservableGauge("pihub.websocket.clients", () => sockets.Count, null, "Authenticated WebSocket connections open now.");
        meter.CreateObservableGauge("pihub.auth.bans.active", () => bans.ActiveBans().Count, null, "IP addresses banned now (after repeated failed logins).");
        meter.CreateObservableGauge("pihub.auth.store.snapshot.age", () => SnapshotAge(store, time), "s",
            "Seconds since the newest auth-store snapshot was taken (absent while there is none).");
        meter.CreateObservableCounter("process.cpu", static () => Environment.CpuUsage.TotalTime.TotalSeconds, "s",
            "User and system CPU time the hub process has used.");
        meter.CreateObservableGauge("process.resident_memory", static () => Environment.WorkingSet, "By", "Resident set size (RSS) of the hub process.");
        meter.CreateObservableCounter("dotnet.gc.collections", static () => (Measurement<long>[])
            [
                new(GC.CollectionCount(0), s_gen0),
                new(GC.CollectionCount(1), s_gen1),
                new(GC.CollectionCount(2), s_gen2),
            ], null, "Garbage collections since start, by generation (a gen1 or gen2 collection also counts in the younger ones).");
        meter.CreateObservableGauge("dotnet.gc.heap_size", static () => GC.GetGCMemoryInfo().HeapSizeBytes, "By",
            "Managed heap size after the last garbage collection.");
    }

    private static Measurement<double>[] SnapshotAge(IAuthStore store, TimeProvider time)
    {
        if (store is not IAuthStoreAdmin admin) return [];
        try
        {
            var newest = admin.ListSnapshots().Select(s => s.TakenAt).DefaultIfEmpty().Max();
            return newest == default ? [] : [new((time.GetUtcNow() - newest).TotalSeconds)];
        }
        catch (IOException)
        {
            // The folder is unreadable right now: leave the gauge out of this scrape rather than fail it.
            return [];
        }
        catch (UnauthorizedAccessException)
        {
            return [];
        }
    }
}
