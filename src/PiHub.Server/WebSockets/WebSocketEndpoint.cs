using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using PiHub.Server.Http;

namespace PiHub.Server.WebSockets;

/// <summary>Maps <c>/api/websocket</c>.</summary>
public static class WebSocketEndpoint
{
    public static IEndpointRouteBuilder MapWebSocketApi(this IEndpointRouteBuilder app)
    {
        app.Map("/api/websocket", static async (HttpContext http, CancellationToken cancellationToken) =>
        {
            if (!http.WebSockets.IsWebSocketRequest)
            {
                // The address the client used, not the default port: the hub may listen elsewhere (--urls, http.server_port).
                var scheme = http.Request.IsHttps ? "wss" : "ws";
                var host = http.Request.Host.HasValue ? http.Request.Host.Value : "pihub.local:8123";
                await ApiResults.BadRequest($"This is the WebSocket API: connect with a WebSocket client ({scheme}://{host}/api/websocket).").ExecuteAsync(http).ConfigureAwait(false);
                return;
            }

            var context = http.RequestServices.GetRequiredService<WsContext>();
            using var socket = await http.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
            var connection = new WsConnection(socket, ClientAddress.Of(http), context, cancellationToken);
            await connection.RunAsync().ConfigureAwait(false);
        });
        return app;
    }
}
