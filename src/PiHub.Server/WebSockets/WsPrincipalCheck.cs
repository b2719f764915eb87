using System.Net;
using PiHub.Core.Auth.Storage;
using PiHub.Core.Auth.Users;
using PiHub.Core.Auth.Validation;
using PiHub.Server.Auth;

namespace PiHub.Server.WebSockets;

/// <summary>
/// Checks a connection's principal against the auth data as it is now, before each command: a socket is authorised
/// when it connects, and the user may since have been removed, deactivated, demoted or made local-only. The user
/// changes close the socket as they commit (<see cref="Core.Auth.AuthManager.UserAccessChanged"/>); this check
/// covers a command that arrives in between, and costs one reference comparison while the auth data is unchanged.
/// </summary>
internal static class WsPrincipalCheck
{
    /// <summary>
    /// The principal with the user's current record, or null and why the connection must close.
    /// </summary>
    public static ApiPrincipal? Current(ApiPrincipal principal, AuthData data, IPAddress client, out string reason)
    {
        reason = "";
        var user = data.Users.GetValueOrDefault(principal.User.Id);
        if (user is null || !user.IsActive || (user.LocalOnly && !NetworkLocality.IsLocal(client)))
        {
            reason = new UserAccessChange(principal.User, user).Reason;
            return null;
        }

        if (principal.RefreshTokenId is { } tokenId && !data.RefreshTokens.ContainsKey(tokenId))
        {
            reason = AuthWiring.CloseReason(Core.Auth.Tokens.RevocationReason.TokenRevoked);
            return null;
        }

        return ReferenceEquals(user, principal.User) ? principal : principal with { User = user };
    }
}
