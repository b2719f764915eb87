using System.Net;
using Microsoft.Extensions.Logging;
using PiHub.Core.Auth.Bans;

namespace PiHub.Server.Auth;

/// <summary>Counts a failure towards a ban without making the refused request wait for, or fail on, the store write.</summary>
internal static class BanReporting
{
    public static void Report(BanManager bans, IPAddress client, string reason, ILogger logger, string? username = null)
    {
        var task = bans.RecordFailureAsync(client, reason, username);
        if (task.IsCompletedSuccessfully) return;
        _ = task.ContinueWith(
            t => logger.LogError(t.Exception, "Could not record a ban for {Client}; the failure was still counted in memory", client),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }
}
