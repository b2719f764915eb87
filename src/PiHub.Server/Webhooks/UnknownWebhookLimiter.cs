using System.Net;
using System.Threading.RateLimiting;

namespace PiHub.Server.Webhooks;

/// <summary>
/// Unknown webhook ids answer 200 like Home Assistant, so nobody learns which ids exist; this limiter keeps
/// the guessing slow: at most <see cref="PermitsPerWindow"/> unknown ids per client address per
/// <see cref="Window"/>, then 429 until the window ends. Known ids are never limited here.
/// </summary>
internal sealed class UnknownWebhookLimiter : IDisposable
{
    /// <summary>Unknown-id requests allowed per address per window.</summary>
    public const int PermitsPerWindow = 10;

    /// <summary>The window length.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly PartitionedRateLimiter<IPAddress> _limiter = PartitionedRateLimiter.Create<IPAddress, IPAddress>(
        static address => RateLimitPartition.GetFixedWindowLimiter(address, static _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = PermitsPerWindow,
            Window = Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    /// <summary>Takes one permit for <paramref name="client"/>; false when its budget is spent.</summary>
    public bool TryAcquire(IPAddress client, out TimeSpan retryAfter)
    {
        using var lease = _limiter.AttemptAcquire(client);
        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : Window;
        return lease.IsAcquired;
    }

    /// <inheritdoc/>
    public void Dispose() => _limiter.Dispose();
}
