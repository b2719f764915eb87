using System.Net;

namespace PiHub.Server.Auth;

/// <summary>
/// Turns a request's credential into a named user, with the same rules for REST and WebSocket.
/// </summary>
public interface IApiAuthenticator
{
    /// <summary>
    /// Authenticates an access token (null when the client sent none) from a client address.
    /// On failure <paramref name="failure"/> says what to do next.
    /// </summary>
    bool TryAuthenticate(string? accessToken, IPAddress client, out ApiPrincipal principal, out string failure);
}
