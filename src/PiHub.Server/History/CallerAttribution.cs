using Microsoft.Extensions.DependencyInjection;
using PiHub.Core.Auth.Storage;
using PiHub.Core.Recorder;
using PiHub.Server.Auth;

namespace PiHub.Server.History;

/// <summary>
/// Tells the recorder who is calling (<see cref="CallerScope"/>), so history and the logbook can
/// name the token behind a change: a long-lived token's name ("Tasker"), else the app's client id,
/// or "trusted network" for token-less access from one.
/// </summary>
internal static class CallerAttribution
{
    /// <summary>Sets the caller for the rest of this request (REST) or connection (WebSocket).</summary>
    public static void Enter(ApiPrincipal principal, IServiceProvider services)
    {
        string? client = null;
        if (principal.Method == ApiPrincipal.TrustedNetworkMethod)
        {
            client = "trusted network";
        }
        else if (principal.RefreshTokenId is { } id && services.GetService<IAuthStore>()?.Current.RefreshTokens.GetValueOrDefault(id) is { } token)
        {
            client = token.ClientName ?? token.ClientId;
        }

        CallerScope.Set(new Caller(principal.User.Id, client));
    }
}
