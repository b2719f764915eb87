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
            var client = ClientAddress.Of(http);
            var budget = context.Registry.Connections;
            if (budget.TryEnter(client, out var refusal) is not { } slot)
            {
                http.Response.Headers.RetryAfter = "10";
                await ApiResults.Error(StatusCodes.Status429TooManyRequests, ApiErrorCodes.TooManyConnections, refusal).ExecuteAsync(http).ConfigureAwait(false);
                return;
            }

            try
            {
                using var socket = await http.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
                var connection = new WsConnection(socket, client, context, cancellationToken) { Slot = slot };
                slot.Connection = connection;
                await connection.RunAsync().ConfigureAwait(false);
            }
            finally
            {
                budget.Exit(slot);
            }
        });
        return app;
    }
}
