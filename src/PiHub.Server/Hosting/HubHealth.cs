using System.Diagnostics;
using PiHub.Core.Auth.Storage;
using PiHub.Core.Hub;
using PiHub.Server.WebSockets;

namespace PiHub.Server.Hosting;

/// <summary>
/// The hub's own health, as the systemd watchdog sees it: the thread pool answers promptly and
/// the auth store is open (writable, or read-only on purpose). Also the one-line status for
/// <c>systemctl status</c>.
/// </summary>
internal sealed class HubHealth(HubCore hub, IAuthStore store, WsRegistry sockets, Core.Power.PowerManager? power = null)
{
    /// <summary>A scheduled work item must start within this to count as responsive.</summary>
    public static readonly TimeSpan MaxSchedulingDelay = TimeSpan.FromSeconds(5);

    /// <summary>Returns null when healthy, else what is wrong.</summary>
    public async Task<string?> CheckAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await Task.Run(static () => { }, cancellationToken).ConfigureAwait(false);
        if (clock.Elapsed > MaxSchedulingDelay)
        {
            return $"thread pool took {clock.Elapsed.TotalSeconds:0.0} s to run a work item";
        }

        try
        {
            _ = store.Current.Generation;
        }
        catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException)
        {
            return "the auth store is closed";
        }

        return null;
    }

    /// <summary>E.g. "ready: 2 users, 14 entities, 3 WebSocket clients".</summary>
    public string Status()
    {
        var users = store.Current.Users.Values.Count(u => !u.SystemGenerated);
        var mode = power?.StatusText ?? (store.IsReadOnly ? "read-only" : "ready");
        var onboarding = store.Current.Onboarding.UserDone ? "" : store.Current.Onboarding.RecoveryMode ? " (recovery onboarding open)" : " (waiting for onboarding)";
        return $"{mode}{onboarding}: {users} users, {hub.States.Count} entities, {sockets.Count} WebSocket clients";
    }
}
