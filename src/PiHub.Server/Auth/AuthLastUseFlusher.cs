using PiHub.Core.Auth;

namespace PiHub.Server.Auth;

/// <summary>
/// Writes the "last used" times the auth manager holds in memory (coalesced to one write per token per
/// 5 minutes) when the host stops, so a clean shutdown loses none of them.
/// </summary>
public sealed class AuthLastUseFlusher : IHostedService
{
    private readonly AuthManager _manager;

    /// <summary>Creates the flusher for the hub's manager.</summary>
    public AuthLastUseFlusher(AuthManager manager) => _manager = manager;

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _manager.AccessTokens.FlushLastUsedAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (AuthException ex) when (Http.PowerFailing.Is(ex))
        {
            // Stopping during a power failure (logind's shutdown, say): "last used" times are best
            // effort, and the store must stay as it was flushed on the fail edge.
        }
    }
}
