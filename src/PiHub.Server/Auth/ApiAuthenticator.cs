using System.Net;
using Microsoft.Extensions.Logging;
using PiHub.Core.Auth;
using PiHub.Core.Auth.Bans;
using PiHub.Core.Auth.TrustedNetworks;

namespace PiHub.Server.Auth;

/// <summary>
/// Bearer tokens through <see cref="AuthManager"/>, with the same rules for REST and WebSocket.
/// Every refusal of a token counts as a failure of the client address towards a ban. A request without a
/// token is served only from a trusted network with <c>allow_api_without_token</c>, as that network's one
/// named user — never anonymously, never as anyone else.
/// </summary>
internal sealed class ApiAuthenticator(AuthManager auth, BanManager bans, TrustedNetworkTable networks, ILogger<ApiAuthenticator> logger) : IApiAuthenticator
{
    /// <summary>The refusal of a request without a token (REST 401 and WebSocket auth_invalid alike).</summary>
    public const string NoTokenMessage = "No access token: send the header \"Authorization: Bearer <token>\" (the literal word Bearer, a space, then the token). Create a long-lived token in your profile.";

    public bool TryAuthenticate(string? accessToken, IPAddress client, out ApiPrincipal principal, out string failure)
    {
        principal = null!;
        if (string.IsNullOrEmpty(accessToken)) return TryTrustedNetwork(client, out principal, out failure);

        if (!auth.AccessTokens.TryAuthenticate(accessToken, client, out var result, out var onlyInsideNetwork))
        {
            failure = onlyInsideNetwork is null
                ? "The access token is invalid, expired or revoked. Refresh it with POST /auth/token (grant_type=refresh_token), or create a new long-lived token."
                : $"This access token comes from a login through trusted network {onlyInsideNetwork}, so it works only from inside that network; " +
                  $"{client} is outside it. Log in with your username and password from here.";
            BanReporting.Report(bans, client, onlyInsideNetwork is null ? "invalid, expired or revoked access token" : "access token used outside its trusted network", logger);
            return false;
        }

        principal = new ApiPrincipal(result.User, result.RefreshToken.Id);
        failure = "";
        return true;
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<IPAddress, long> _attributionLogged = new();

    private bool ShouldLogAttribution(IPAddress client)
    {
        var now = Environment.TickCount64;
        var last = _attributionLogged.GetOrAdd(client, long.MinValue);
        if (last != long.MinValue && now - last < 3_600_000) return false;
        _attributionLogged[client] = now;
        return true;
    }

    private bool TryTrustedNetwork(IPAddress client, out ApiPrincipal principal, out string failure)
    {
        principal = null!;
        if (networks.TryResolveApiUser(auth.Data, client, out var network, out var user))
        {
            principal = new ApiPrincipal(user!, null, ApiPrincipal.TrustedNetworkMethod);
            failure = "";
            // Attributed in every event's context (user_id); in the journal once an hour per address,
            // so a busy Tasker loop does not wear the SD card with one line per request.
            var level = ShouldLogAttribution(client) ? LogLevel.Information : LogLevel.Debug;
            logger.Log(level, "Request without a token from {Client} acts as {User} ({UserId}): trusted network {Network} has allow_api_without_token",
                client, user!.Name, user.Id, network!.Cidr);
            return true;
        }

        if (network is { AllowApiWithoutToken: true, Usernames: [var username] })
        {
            // Configured, but the named user is missing or inactive: say so rather than a bare "no token".
            failure = $"No access token, and trusted network {network.Cidr} maps token-less requests to user \"{username}\", which does not exist or is deactivated. " +
                "Create or re-activate that user, fix auth.trusted_networks in pihub.yaml, or send \"Authorization: Bearer <token>\".";
            logger.LogWarning("Request without a token from {Client} refused: trusted network {Network} names user {Username}, who does not exist or is inactive",
                client, network.Cidr, username);
            return false;
        }

        failure = NoTokenMessage;
        return false;
    }
}
