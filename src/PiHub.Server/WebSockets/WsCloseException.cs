using System.Net.WebSockets;

namespace PiHub.Server.WebSockets;

/// <summary>Ends a connection with a close status and reason.</summary>
internal sealed class WsCloseException(WebSocketCloseStatus status, string reason) : Exception(reason)
{
    public WebSocketCloseStatus Status { get; } = status;
}
