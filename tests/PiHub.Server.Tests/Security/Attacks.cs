using System.Net.Sockets;
using System.Net.WebSockets;
using System.Net;
using System.Text.Json.Nodes;
using System.Text;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Testing;

namespace PiHub.Server.Tests.Security;

/// <summary>
/// The LAN attacks of issue 9, each from a chosen loopback address (127.0.0.x standing in for a LAN host), for
/// the regression tests and the "owner can always get in" test. Attacks never assert: they report what the hub
/// answered and keep going, as an attacker would.
/// </summary>
internal static class Attacks
{
    /// <summary>The Origin of a web page on another site that the owner happens to visit.</summary>
    public const string ForeignOrigin = "http://evil.example";

    public static readonly string FlowStartBody =
        $$"""{"client_id":"{{HubApi.ClientId}}","handler":["homeassistant",null],"redirect_uri":"{{HubApi.ClientId}}"}""";

    /// <summary>Item 1: starts <paramref name="count"/> login flows from <paramref name="source"/>, <paramref name="parallel"/> at a time.</summary>
    public static async Task<List<HttpStatusCode>> FloodLoginFlowsAsync(TestHub hub, string source, int count, int parallel = 16,
        CancellationToken stop = default)
    {
        using var client = hub.ClientFrom(source);
        var statuses = new List<HttpStatusCode>();
        var next = 0;
        var workers = Enumerable.Range(0, parallel).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) <= count && !stop.IsCancellationRequested)
            {
                var status = await SendAsync(client, () => new HttpRequestMessage(HttpMethod.Post, "auth/login_flow") { Content = HubApi.Json(FlowStartBody) });
                lock (statuses) statuses.Add(status);
            }
        });
        await Task.WhenAll(workers);
        return statuses;
    }

    /// <summary>
    /// Item 2: a POST whose body trickles in — <paramref name="length"/> announced, 100 bytes every 0.25 s (400 B/s, above
    /// Kestrel's minimum data rate). <paramref name="started"/> completes once the headers and the first bytes are out.
    /// Returns the hub's whole answer (status line, headers, body), or null when it had not answered by <paramref name="stop"/>.
    /// </summary>
    public static async Task<string?> SlowBodyAsync(TestHub hub, string source, string path, int length, CancellationToken stop,
        TaskCompletionSource? started = null)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
        var head = $"POST /{path} HTTP/1.1\r\nHost: {hub.Api.BaseUri.Authority}\r\n" +
                   $"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {length}\r\n\r\n";
        try
        {
            await socket.ConnectAsync(hub.Api.BaseUri.Host, hub.Api.BaseUri.Port, stop);
            await socket.SendAsync(Encoding.ASCII.GetBytes(head), SocketFlags.None, stop);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException)
        {
            started?.TrySetResult();
            return null;
        }

        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var answer = ReadAnswerAsync(stream, stop);
        var chunk = Encoding.ASCII.GetBytes(new string('a', 100));
        var sent = 0;
        try
        {
            while (sent < length && !answer.IsCompleted)
            {
                await stream.WriteAsync(chunk.AsMemory(0, Math.Min(chunk.Length, length - sent)), stop);
                sent += chunk.Length;
                started?.TrySetResult();
                await Task.WhenAny(answer, Task.Delay(250, stop));
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException)
        {
            // The hub closed the connection (after answering), or the test is over.
        }

        started?.TrySetResult();
        return await answer;
    }

    /// <summary>Item 2: <paramref name="count"/> wrong-password steps at once on one flow, from <paramref name="client"/>'s address; the tasks of their statuses.</summary>
    public static async Task<List<Task<HttpStatusCode>>> PasswordStepFloodAsync(TestHub hub, HttpClient client, int count)
    {
        var flow = await HubApi.JsonAsync(await client.PostAsync("auth/login_flow", HubApi.Json(FlowStartBody)));
        var id = flow["flow_id"]!.GetValue<string>();
        return [.. Enumerable.Range(0, count).Select(_ => SendAsync(client, () => new HttpRequestMessage(HttpMethod.Post, $"auth/login_flow/{id}")
        {
            Content = HubApi.Json($$"""{"client_id":"{{HubApi.ClientId}}","username":"owner","password":"wrong password!"}"""),
        }))];
    }

    /// <summary>Item 6: wrong current passwords over a WebSocket authenticated with <paramref name="token"/> from <paramref name="source"/>.</summary>
    public static async Task<List<JsonNode>> WrongPasswordsOverWebSocketAsync(TestHub hub, string source, string token, int count,
        CancellationToken stop = default)
    {
        var answers = new List<JsonNode>();
        var (ws, auth) = await hub.WebSocketFromAsync(source, token);
        await using var _ = ws;
        if (auth["type"]?.GetValue<string>() != "auth_ok") return [auth];
        for (var i = 0; i < count && !stop.IsCancellationRequested; i++)
        {
            try
            {
                answers.Add(await CallAsync(ws, "config/auth_provider/homeassistant/change_password", new JsonObject
                {
                    ["current_password"] = $"guess number {i}",
                    ["new_password"] = "taken over by mallory",
                }));
            }
            catch (Exception ex) when (ex is WebSocketException or WebSocketClosedException or TimeoutException)
            {
                break;
            }
        }

        return answers;
    }

    /// <summary>
    /// Item 3: what a web page on another site can make the owner's browser send from the owner's own address —
    /// form POSTs to /auth/token with a bogus refresh token. Returns the statuses.
    /// </summary>
    public static async Task<List<HttpStatusCode>> CrossSiteTokenPostsAsync(TestHub hub, string source, int count)
    {
        using var browser = hub.ClientFrom(source);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < count; i++)
        {
            statuses.Add(await SendAsync(browser, () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Post, "auth/token")
                {
                    Content = HubApi.Form(("grant_type", "refresh_token"), ("refresh_token", $"bogus-{i}"), ("client_id", HubApi.ClientId)),
                };
                request.Headers.Add("Origin", ForeignOrigin);
                request.Headers.Add("Sec-Fetch-Site", "cross-site");
                return request;
            }));
        }

        return statuses;
    }

    /// <summary>Item 3: WebSocket handshakes from another site's page (foreign Origin), each with a bogus token.</summary>
    public static async Task CrossSiteWebSocketsAsync(TestHub hub, string source, int count)
    {
        for (var i = 0; i < count; i++)
        {
            try
            {
                var (ws, _) = await WsClient.AuthenticateAsync(hub.WebSocketUri, "bogus.token.value",
                    new HttpMessageInvoker(Loopback.Handler(source)), o => o.SetRequestHeader("Origin", ForeignOrigin));
                await ws.DisposeAsync();
            }
            catch (Exception ex) when (ex is WebSocketException or WebSocketClosedException or InvalidOperationException or TimeoutException)
            {
                // Refused at the handshake (403) once Origin is checked.
            }
        }
    }

    /// <summary>
    /// Issue 24, item 4: <paramref name="count"/> wrong-password steps at once on one flow, as
    /// <see cref="PasswordStepFloodAsync"/> but on the capitalised path <c>/Auth/Login_Flow/&lt;id&gt;</c>.
    /// </summary>
    public static async Task<List<Task<HttpStatusCode>>> MixedCasePasswordStepFloodAsync(HttpClient client, int count)
    {
        var flow = await HubApi.JsonAsync(await client.PostAsync("Auth/Login_Flow", HubApi.Json(FlowStartBody)));
        var id = flow["flow_id"]?.GetValue<string>() ?? "no-flow";
        return [.. Enumerable.Range(0, count).Select(_ => SendAsync(client, () => new HttpRequestMessage(HttpMethod.Post, $"Auth/Login_Flow/{id}")
        {
            Content = HubApi.Json($$"""{"client_id":"{{HubApi.ClientId}}","username":"owner","password":"wrong password!"}"""),
        }))];
    }

    /// <summary>
    /// Issue 24, item 5: <paramref name="count"/> auth codes from <paramref name="source"/>, a trusted network with
    /// <c>allow_bypass_login</c> for one user (each flow start answers <c>create_entry</c> at once), never exchanged.
    /// Returns the codes in the order they were issued (as far as <paramref name="parallel"/> allows); <paramref name="hoarded"/>
    /// completes once <paramref name="hoardedAt"/> codes were issued.
    /// </summary>
    public static async Task<List<string>> HoardAuthCodesAsync(TestHub hub, string source, int count, int parallel = 8,
        CancellationToken stop = default, TaskCompletionSource? hoarded = null, int hoardedAt = 1_000)
    {
        using var client = hub.ClientFrom(source);
        var body = $$"""{"client_id":"{{HubApi.ClientId}}","handler":["trusted_networks",null],"redirect_uri":"{{HubApi.ClientId}}"}""";
        var codes = new List<string>();
        var next = 0;
        var workers = Enumerable.Range(0, parallel).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) <= count && !stop.IsCancellationRequested)
            {
                try
                {
                    using var response = await client.PostAsync("auth/login_flow", HubApi.Json(body), stop);
                    var entry = JsonNode.Parse(await response.Content.ReadAsStringAsync(stop));
                    if (entry?["result"]?.GetValue<string>() is { } code)
                    {
                        lock (codes) codes.Add(code);
                        if (codes.Count >= hoardedAt) hoarded?.TrySetResult();
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or System.Text.Json.JsonException)
                {
                    // Refused or stopped: an attacker keeps going.
                }
            }
        });
        await Task.WhenAll(workers);
        hoarded?.TrySetResult();
        return codes;
    }

    /// <summary>A full password login from <paramref name="client"/>'s address: flow, step, code exchange. Throws with the answer when refused.</summary>
    public static async Task<JsonNode> LogInAsync(HttpClient client, string username = "owner", string password = HubApi.OwnerPassword)
    {
        var start = await client.PostAsync("auth/login_flow", HubApi.Json(FlowStartBody));
        var flow = await Expect(start, HttpStatusCode.OK);
        var step = await client.PostAsync($"auth/login_flow/{flow["flow_id"]!.GetValue<string>()}",
            HubApi.Json($$"""{"client_id":"{{HubApi.ClientId}}","username":"{{username}}","password":"{{password}}"}"""));
        var entry = await Expect(step, HttpStatusCode.OK);
        if (entry["type"]?.GetValue<string>() != "create_entry") throw new InvalidOperationException($"Login step refused: {entry.ToJsonString()}");
        var exchange = await client.PostAsync("auth/token",
            HubApi.Form(("grant_type", "authorization_code"), ("code", entry["result"]!.GetValue<string>()), ("client_id", HubApi.ClientId)));
        return await Expect(exchange, HttpStatusCode.OK);
    }

    /// <summary>
    /// A WebSocket command and its result, waiting up to a minute: a password check may wait its turn behind several
    /// others (each a 600,000-round hash) on a busy machine.
    /// </summary>
    public static async Task<JsonNode> CallAsync(WsClient ws, string type, JsonObject fields)
    {
        var id = await ws.CommandAsync(type, fields);
        return await ws.ReceiveAsync(m => m["id"]?.GetValue<int>() == id && m["type"]?.GetValue<string>() == "result", TimeSpan.FromMinutes(1));
    }

    /// <summary>A refresh-token grant, as every app does every 30 minutes.</summary>
    public static Task<HttpResponseMessage> RefreshAsync(HttpClient client, string refreshToken) =>
        client.PostAsync("auth/token", HubApi.Form(("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("client_id", HubApi.ClientId)));

    private static async Task<JsonNode> Expect(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != status)
        {
            throw new InvalidOperationException($"{response.RequestMessage?.RequestUri?.AbsolutePath} answered {(int)response.StatusCode}: {text}");
        }

        return JsonNode.Parse(text)!;
    }

    private static async Task<HttpStatusCode> SendAsync(HttpClient client, Func<HttpRequestMessage> request)
    {
        try
        {
            using var message = request();
            using var response = await client.SendAsync(message);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }

    private static async Task<string?> ReadAnswerAsync(NetworkStream stream, CancellationToken stop)
    {
        var text = new StringBuilder();
        var buffer = new byte[4096];
        try
        {
            int n;
            while ((n = await stream.ReadAsync(buffer, stop)) > 0)
            {
                text.Append(Encoding.UTF8.GetString(buffer, 0, n));
                if (IsComplete(text.ToString())) break;
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException)
        {
            // Closed by the hub or stopped by the test.
        }

        return text.Length == 0 ? null : text.ToString();
    }

    /// <summary>True once the headers and the whole body (Content-Length bytes, or the last chunk) have arrived.</summary>
    private static bool IsComplete(string answer)
    {
        var end = answer.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0) return false;
        var headers = answer[..end].Split("\r\n");
        if (headers.Any(h => h.StartsWith("Transfer-Encoding:", StringComparison.OrdinalIgnoreCase) && h.Contains("chunked", StringComparison.OrdinalIgnoreCase)))
        {
            return answer.EndsWith("0\r\n\r\n", StringComparison.Ordinal);
        }

        var lengthLine = headers.FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        if (lengthLine is null) return false; // read until the hub closes
        var length = int.Parse(lengthLine["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        return Encoding.UTF8.GetByteCount(answer[(end + 4)..]) >= length;
    }
}
