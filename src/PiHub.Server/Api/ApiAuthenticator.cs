using System.Net;
using Microsoft.Extensions.Logging;
using PiHub.Core.Auth;
using PiHub.Core.Auth.Bans;

namespace PiHub.Server.Api;

/// <summary>
/// Bearer tokens through <see cref="AuthManager"/>, with the same rules for REST and WebSocket.
/// Every refusal counts as a failure of the client address towards a ban.
/// </summary>
internal sealed class ApiAuthenticator(AuthManager auth, BanManager bans, ILogger<ApiAuthenticator> logger) : IApiAuthenticator
{
    public bool TryAuthenticate(string? accessToken, IPAddress client, out ApiPrincipal principal, out string failure)
    {
        principal = null!;
        if (string.IsNullOrEmpty(accessToken))
        {
            failure = "No access token: send the header \"Authorization: Bearer <token>\" (the literal word Bearer, a space, then the token). Create a long-lived token in your profile.";
            return false;
        }

        if (!auth.TryAuthenticate(accessToken, client, out var result))
        {
            failure = "The access token is invalid, expired or revoked. Refresh it with POST /auth/token (grant_type=refresh_token), or create a new long-lived token.";
            BanReporting.Report(bans, client, "invalid, expired or revoked access token", logger);
            return false;
        }

        principal = new ApiPrincipal(result.User, result.RefreshToken.Id);
        failure = "";
        return true;
    }
}
