using Microsoft.Extensions.DependencyInjection;
using PiHub.Core.Auth.Bans;
using PiHub.Server.Auth;
using PiHub.Server.Http;

namespace PiHub.Server.WebSockets.Commands;

/// <summary>
/// WebSocket commands that check or hash a password or a second-factor code take the same fair turn at the
/// <see cref="PasswordCheckLimiter"/> as <c>/auth/login_flow</c>, for the connection's address, and are refused while
/// that address is banned — also on a connection opened before the ban. Their failures are counted by the auth
/// classes against the same address (the caller passes <see cref="WsConnection.Client"/>).
/// </summary>
internal static class PasswordCheckTurns
{
    /// <summary>
    /// Waits for this address's turn; null, after an error reply, when the address is banned or already has too many
    /// checks waiting. Dispose the turn when the check is over.
    /// </summary>
    public static async ValueTask<IDisposable?> TakePasswordTurnAsync(this WsConnection c, int id, CancellationToken cancellationToken)
    {
        var bans = c.Services.GetRequiredService<BanManager>();
        if (RefuseIfBanned(c, id, bans)) return null;
        var turn = await c.Services.GetRequiredService<PasswordCheckLimiter>().AcquireAsync(c.Client, cancellationToken).ConfigureAwait(false);
        if (turn is null)
        {
            c.PostError(id, ApiErrorCodes.TooManyRequests,
                "Too many password checks are waiting, from this address (at most 4) or hub-wide; wait a second and try again.");
            return null;
        }

        // Banned while it waited (by the checks ahead of it): no more guesses.
        if (RefuseIfBanned(c, id, bans))
        {
            turn.Dispose();
            return null;
        }

        return turn;
    }

    private static bool RefuseIfBanned(WsConnection c, int id, BanManager bans)
    {
        if (!bans.IsBanned(c.Client, out var ban)) return false;
        c.PostError(id, ApiErrorCodes.Banned, BanManager.Describe(ban));
        return true;
    }
}
