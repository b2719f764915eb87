using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text.Json.Nodes;

namespace PiHub.Testing;

/// <summary>
/// Clients whose connections come from another loopback address (127.0.0.2, 127.0.0.3, …), optionally
/// sending <c>X-Forwarded-For</c> as a reverse proxy would: how tests play other machines, trusted
/// networks, proxies and attackers without leaving 127.0.0.0/8 (Linux routes all of it to <c>lo</c>).
/// </summary>
public static class Loopback
{
    /// <summary>A handler whose sockets are bound to <paramref name="source"/> (redirects are not followed).</summary>
    public static SocketsHttpHandler Handler(string source)
    {
        var address = IPAddress.Parse(source);
        return new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(address, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, ct).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
    }

    /// <summary>
    /// An HTTP client of <paramref name="baseUri"/> from <paramref name="source"/>, with an optional
    /// <c>X-Forwarded-For</c> header and bearer token.
    /// </summary>
    public static HttpClient Client(Uri baseUri, string source, string? forwardedFor = null, string? token = null)
    {
        var client = new HttpClient(Handler(source)) { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(60) };
        if (forwardedFor is not null) client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        if (token is not null) client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A WebSocket from <paramref name="source"/>, authenticated with <paramref name="token"/> (null: no token).</summary>
    public static Task<(WsClient Client, JsonNode Answer)> WebSocketAsync(Uri webSocketUri, string source, string? token, string? forwardedFor = null) =>
        WsClient.AuthenticateAsync(webSocketUri, token, new HttpMessageInvoker(Handler(source)),
            forwardedFor is null ? null : (ClientWebSocketOptions o) => o.SetRequestHeader("X-Forwarded-For", forwardedFor));
}
