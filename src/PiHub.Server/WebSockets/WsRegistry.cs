using System.Collections.Concurrent;
using System.Net.WebSockets;
using PiHub.Core.Auth.Users;
using PiHub.Core.Auth.Validation;

namespace PiHub.Server.WebSockets;

/// <summary>The open, authenticated connections, so revoking a refresh token closes its sockets at once.</summary>
internal sealed class WsRegistry
{
    private readonly ConcurrentDictionary<WsConnection, byte> _connections = new();

    public int Count => _connections.Count;

    /// <summary>The open sockets per client and in all, authenticated or not, and the caps on them.</summary>
    public WsConnectionBudget Connections { get; } = new();

    /// <summary>The subscriptions each user holds, and the caps on them.</summary>
    public WsSubscriptionLimits Subscriptions { get; } = new();

    public void Add(WsConnection connection) => _connections.TryAdd(connection, 0);

    public void Remove(WsConnection connection) => _connections.TryRemove(connection, out _);

    /// <summary>Closes every connection authenticated with the given refresh token.</summary>
    public int CloseForRefreshToken(string refreshTokenId, string reason)
    {
        var closed = 0;
        foreach (var c in _connections.Keys)
        {
            if (c.Principal?.RefreshTokenId == refreshTokenId)
            {
                c.Close(WebSocketCloseStatus.PolicyViolation, reason);
                closed++;
            }
        }

        return closed;
    }

    /// <summary>Closes every connection (shutdown): a clean close frame, so clients reconnect at once.</summary>
    public void CloseAll(string reason)
    {
        foreach (var c in _connections.Keys) c.Close(WebSocketCloseStatus.EndpointUnavailable, reason);
    }

    /// <summary>Closes the user's connections that <paramref name="change"/> took the rights from (<see cref="UserAccessChange.Ends"/>).</summary>
    public void CloseForUser(UserAccessChange change)
    {
        foreach (var c in _connections.Keys)
        {
            if (c.Principal?.User.Id == change.Before.Id && change.Ends(NetworkLocality.IsLocal(c.Client)))
            {
                c.Close(WebSocketCloseStatus.PolicyViolation, change.Reason);
            }
        }
    }
}
