using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace PiHub.Testing;

/// <summary>A minimal WebSocket client speaking the Home Assistant protocol, for tests.</summary>
public sealed class WsClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly Queue<JsonNode> _pending = new();
    private int _nextId;

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public string? CloseReason => _socket.CloseStatusDescription;

    public WebSocketState State => _socket.State;

    /// <summary>The text of the last frame read, exactly as the server wrote it (before parsing).</summary>
    public string? LastFrameText { get; private set; }

    /// <summary>
    /// Connects; <paramref name="invoker"/> (e.g. a handler bound to another loopback address) and
    /// <paramref name="configure"/> (e.g. an X-Forwarded-For header) are optional.
    /// </summary>
    public static async Task<WsClient> ConnectAsync(Uri uri, HttpMessageInvoker? invoker = null, Action<ClientWebSocketOptions>? configure = null)
    {
        var client = new WsClient();
        configure?.Invoke(client._socket.Options);
        await client._socket.ConnectAsync(uri, invoker, CancellationToken.None).ConfigureAwait(false);
        return client;
    }

    /// <summary>Connects and authenticates; returns the auth answer (auth_ok or auth_invalid).</summary>
    public static async Task<(WsClient Client, JsonNode Answer)> AuthenticateAsync(Uri uri, string? token,
        HttpMessageInvoker? invoker = null, Action<ClientWebSocketOptions>? configure = null)
    {
        var client = await ConnectAsync(uri, invoker, configure).ConfigureAwait(false);
        var required = await client.ReceiveAsync().ConfigureAwait(false);
        if (required["type"]!.GetValue<string>() != "auth_required") throw new InvalidOperationException(required.ToJsonString());
        var auth = new JsonObject { ["type"] = "auth" };
        if (token is not null) auth["access_token"] = token;
        await client.SendAsync(auth).ConfigureAwait(false);
        return (client, await client.ReceiveAsync().ConfigureAwait(false));
    }

    public Task SendAsync(JsonNode message) => SendRawAsync(message.ToJsonString());

    public Task SendRawAsync(string text) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>Sends a command with the next id and returns that id.</summary>
    public async Task<int> CommandAsync(string type, JsonObject? fields = null)
    {
        var message = fields ?? [];
        message["id"] = ++_nextId;
        message["type"] = type;
        await SendAsync(message).ConfigureAwait(false);
        return _nextId;
    }

    /// <summary>Sends a command and waits for its result message.</summary>
    public async Task<JsonNode> CallAsync(string type, JsonObject? fields = null)
    {
        var id = await CommandAsync(type, fields).ConfigureAwait(false);
        return await ReceiveAsync(m => m["id"]?.GetValue<int>() == id && m["type"]?.GetValue<string>() is "result" or "pong").ConfigureAwait(false);
    }

    /// <summary>The next message (arrays from coalescing are unpacked).</summary>
    public async Task<JsonNode> ReceiveAsync(TimeSpan? timeout = null)
    {
        if (_pending.Count > 0) return _pending.Dequeue();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var buffer = new byte[64 * 1024];
        using var text = new MemoryStream();
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer, cts.Token).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close) throw new WebSocketClosedException(_socket.CloseStatus, _socket.CloseStatusDescription);
            text.Write(buffer, 0, result.Count);
            if (result.EndOfMessage) break;
        }

        LastFrameText = Encoding.UTF8.GetString(text.GetBuffer(), 0, (int)text.Length);
        var node = JsonNode.Parse(text.ToArray())!;
        if (node is JsonArray array)
        {
            foreach (var item in array) _pending.Enqueue(item!.DeepClone());
            return _pending.Dequeue();
        }

        return node;
    }

    /// <summary>Skips messages until one matches.</summary>
    public async Task<JsonNode> ReceiveAsync(Func<JsonNode, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) throw new TimeoutException("No matching WebSocket message arrived in time.");
            var message = await ReceiveAsync(left).ConfigureAwait(false);
            if (match(message)) return message;
        }
    }

    /// <summary>Reads until the server closes; returns its close status.</summary>
    public async Task<WebSocketCloseStatus?> WaitForCloseAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        try
        {
            while (DateTime.UtcNow < deadline) await ReceiveAsync(deadline - DateTime.UtcNow).ConfigureAwait(false);
        }
        catch (WebSocketClosedException ex)
        {
            return ex.Status;
        }
        catch (WebSocketException)
        {
            return _socket.CloseStatus ?? WebSocketCloseStatus.Empty;
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", cts.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                // The server may already be gone.
            }
        }

        _socket.Dispose();
    }
}

/// <summary>The server closed the socket.</summary>
public sealed class WebSocketClosedException(WebSocketCloseStatus? status, string? reason)
    : Exception($"WebSocket closed: {status} {reason}")
{
    public WebSocketCloseStatus? Status { get; } = status;

    public string? Reason { get; } = reason;
}
