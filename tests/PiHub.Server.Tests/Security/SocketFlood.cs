using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Testing;

namespace PiHub.Server.Tests.Security;

/// <summary>
/// Issue 24, item 9: WebSockets held open from chosen loopback addresses, authenticated or not, for the regression test
/// and the "owner can always get in" test. Like <see cref="Attacks"/>, it reports what the hub answered and never asserts.
/// </summary>
internal sealed class SocketFlood : IAsyncDisposable
{
    private readonly List<ClientWebSocket> _open = [];

    /// <summary>Sockets the hub accepted and that are still held.</summary>
    public int Open
    {
        get
        {
            lock (_open) return _open.Count(s => s.State == WebSocketState.Open);
        }
    }

    /// <summary>Upgrades the hub refused, by HTTP status.</summary>
    public List<HttpStatusCode> Refused { get; } = [];

    /// <summary>
    /// Opens <paramref name="count"/> sockets from <paramref name="source"/>; with a <paramref name="token"/> each
    /// authenticates, without one each stays in the auth phase. Returns the auth answers (or close reasons) of those that got that far.
    /// </summary>
    public async Task<List<string>> OpenAsync(TestHub hub, string source, int count, string? token = null)
    {
        var answers = new List<string>();
        using var invoker = new HttpMessageInvoker(Loopback.Handler(source));
        for (var i = 0; i < count; i++)
        {
            var socket = new ClientWebSocket();
            socket.Options.CollectHttpResponseDetails = true;
            try
            {
                await socket.ConnectAsync(hub.WebSocketUri, invoker, CancellationToken.None);
            }
            catch (WebSocketException)
            {
                lock (Refused) Refused.Add((HttpStatusCode)socket.HttpStatusCode);
                socket.Dispose();
                continue;
            }

            lock (_open) _open.Add(socket);
            if (token is null) continue;
            await ReceiveTextAsync(socket); // auth_required
            await socket.SendAsync(Encoding.UTF8.GetBytes(new JsonObject { ["type"] = "auth", ["access_token"] = token }.ToJsonString()),
                WebSocketMessageType.Text, true, CancellationToken.None);
            answers.Add(await ReceiveTextAsync(socket));
        }

        return answers;
    }

    /// <summary>How the first <paramref name="count"/> held sockets end: read past auth_required until closed (or 15 s).</summary>
    public async Task<List<string>> EndingsAsync(int count)
    {
        List<ClientWebSocket> first;
        lock (_open) first = [.. _open.Take(count)];
        var endings = new List<string>();
        foreach (var socket in first)
        {
            var text = await ReceiveTextAsync(socket);
            if (text.Contains("auth_required", StringComparison.Ordinal)) text = await ReceiveTextAsync(socket);
            endings.Add(text);
        }

        return endings;
    }

    /// <summary>The hub's refusal of an upgrade from <paramref name="source"/> as a plain HTTP request: status and body.</summary>
    public static async Task<(HttpStatusCode Status, string Body)> ProbeUpgradeAsync(TestHub hub, string source)
    {
        using var client = hub.ClientFrom(source);
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/websocket");
        request.Headers.Connection.Add("Upgrade");
        request.Headers.Upgrade.Add(new System.Net.Http.Headers.ProductHeaderValue("websocket"));
        request.Headers.Add("Sec-WebSocket-Version", "13");
        request.Headers.Add("Sec-WebSocket-Key", Convert.ToBase64String(Guid.NewGuid().ToByteArray()));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var body = response.StatusCode == HttpStatusCode.SwitchingProtocols ? "" : await response.Content.ReadAsStringAsync();
        return (response.StatusCode, body);
    }

    /// <summary>The next text message, or "closed: reason" when the hub closed the socket.</summary>
    public static async Task<string> ReceiveTextAsync(ClientWebSocket socket)
    {
        var buffer = new byte[16 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            var text = new StringBuilder();
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, timeout.Token);
                if (result.MessageType == WebSocketMessageType.Close) return $"closed {(int?)socket.CloseStatus}: {socket.CloseStatusDescription}";
                text.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
                if (result.EndOfMessage) return text.ToString();
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            return $"closed {(int?)socket.CloseStatus}: {ex.Message}";
        }
    }

    public ValueTask DisposeAsync()
    {
        lock (_open)
        {
            foreach (var s in _open)
            {
                s.Abort();
                s.Dispose();
            }

            _open.Clear();
        }

        return ValueTask.CompletedTask;
    }
}
