using System.Text.Json.Nodes;
using PiHub.Testing;

namespace PiHub.Server.Tests.Auth;

/// <summary>The trusted_networks login flow as a browser drives it, for the trusted-network tests.</summary>
internal static class TrustedNetworkFlow
{
    public static async Task<(HttpResponseMessage Response, JsonNode Body)> StartAsync(HttpClient client)
    {
        var response = await client.PostAsync("auth/login_flow", HubApi.Json($$"""{"client_id":"{{HubApi.ClientId}}","handler":["trusted_networks",null],"redirect_uri":"{{HubApi.ClientId}}"}"""));
        return (response, await HubApi.JsonAsync(response));
    }

    public static async Task<JsonNode> ChooseAsync(HttpClient client, JsonNode flow, string userId)
    {
        var response = await client.PostAsync($"auth/login_flow/{flow["flow_id"]}", HubApi.Json($$"""{"client_id":"{{HubApi.ClientId}}","user":"{{userId}}"}"""));
        return await HubApi.JsonAsync(response);
    }

    public static async Task<JsonNode> ExchangeAsync(HttpClient client, string code)
    {
        var response = await client.PostAsync("auth/token", HubApi.Form(("grant_type", "authorization_code"), ("code", code), ("client_id", HubApi.ClientId)));
        var body = await HubApi.JsonAsync(response);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException(body.ToJsonString());
        return body;
    }

    public static async Task<HttpResponseMessage> RefreshAsync(HttpClient client, string refreshToken) =>
        await client.PostAsync("auth/token", HubApi.Form(("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("client_id", HubApi.ClientId)));

    /// <summary>The (value, label) options of the form's <c>user</c> select.</summary>
    public static List<(string Id, string Name)> Options(JsonNode form)
    {
        var field = form["data_schema"]!.AsArray().Single()!;
        Assert.That(field["name"]!.GetValue<string>(), Is.EqualTo("user"));
        Assert.That(field["type"]!.GetValue<string>(), Is.EqualTo("select"));
        return [.. field["options"]!.AsArray().Select(o => (o![0]!.GetValue<string>(), o[1]!.GetValue<string>()))];
    }

    public static async Task<string> OwnerIdAsync(Infrastructure.TestHub hub)
    {
        var (ws, _) = await WsClient.AuthenticateAsync(hub.WebSocketUri, hub.AccessToken);
        await using var _ = ws;
        return (await ws.CallAsync("auth/current_user"))["result"]!["id"]!.GetValue<string>();
    }
}
