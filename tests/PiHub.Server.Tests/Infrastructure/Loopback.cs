using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using PiHub.Testing;

namespace PiHub.Server.Tests.Infrastructure;

/// <summary>
/// Clients whose connections come from another loopback address (127.0.0.2, 127.0.0.3, …), optionally
/// sending <c>X-Forwarded-For</c> as a reverse proxy would: how tests play trusted networks and proxies.
/// </summary>
internal static class Loopback
{
    /// <summary>A handler whose sockets are bound to <paramref name="source"/>.</summary>
    public static SocketsHttpHandler Handler(string source) => new()
    {
        AllowAutoRedirect = false,
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    /// <summary>An HTTP client of <paramref name="hub"/> from <paramref name="source"/>.</summary>
    public static HttpClient From(TestHub hub, string source, string? forwardedFor = null, string? token = null)
    {
        var client = new HttpClient(Handler(source)) { BaseAddress = hub.Api.BaseUri, Timeout = TimeSpan.FromSeconds(60) };
        if (forwardedFor is not null) client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        if (token is not null) client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A WebSocket from <paramref name="source"/>, authenticated with <paramref name="token"/> (null: no token).</summary>
    public static Task<(WsClient Client, JsonNode Answer)> WebSocketAsync(TestHub hub, string source, string? token, string? forwardedFor = null) =>
        WsClient.AuthenticateAsync(hub.WebSocketUri, token, new HttpMessageInvoker(Handler(source)),
            forwardedFor is null ? null : (ClientWebSocketOptions o) => o.SetRequestHeader("X-Forwarded-For", forwardedFor));

    /// <summary>Creates a user with a local credential over the owner's WebSocket; returns the user id.</summary>
    public static async Task<string> CreateUserAsync(TestHub hub, string name, string username, bool admin = false)
    {
        var (ws, _) = await WsClient.AuthenticateAsync(hub.WebSocketUri, hub.AccessToken);
        await using var _ = ws;
        var created = await ws.CallAsync("config/auth/create", new JsonObject
        {
            ["name"] = name,
            ["group_ids"] = new JsonArray(admin ? "system-admin" : "system-users"),
        });
        var id = created["result"]!["user"]!["id"]!.GetValue<string>();
        var credential = await ws.CallAsync("config/auth_provider/homeassistant/create", new JsonObject
        {
            ["user_id"] = id,
            ["username"] = username,
            ["password"] = HubApi.OwnerPassword,
        });
        if (!credential["success"]!.GetValue<bool>()) throw new InvalidOperationException(credential.ToJsonString());
        return id;
    }

    /// <summary>Settings for one trusted network at index <paramref name="index"/>.</summary>
    public static Dictionary<string, string?> TrustedNetwork(string cidr, string[] users, bool bypass = false, bool api = false, bool skipMfa = false, int index = 0)
    {
        var prefix = $"auth:trusted_networks:{index}:";
        var settings = new Dictionary<string, string?>
        {
            [prefix + "cidr"] = cidr,
            [prefix + "allow_bypass_login"] = bypass ? "true" : "false",
            [prefix + "allow_api_without_token"] = api ? "true" : "false",
            [prefix + "skip_mfa"] = skipMfa ? "true" : "false",
        };
        if (users is ["all"]) settings[prefix + "users"] = "all";
        else for (var i = 0; i < users.Length; i++) settings[$"{prefix}users:{i}"] = users[i];
        return settings;
    }
}
