using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PiHub.Testing;

/// <summary>A PiHub seen only through its public HTTP API, wherever it runs (in-process or a real binary).</summary>
public sealed class HubApi : IDisposable
{
    public const string ClientId = "http://127.0.0.1/";
    public const string OwnerPassword = "correct horse battery";

    public HubApi(Uri baseUri)
    {
        BaseUri = baseUri;
        Http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri BaseUri { get; }

    /// <summary>A client without credentials.</summary>
    public HttpClient Http { get; }

    public string? AccessToken { get; private set; }

    public string? RefreshToken { get; private set; }

    public Uri WebSocketUri => new($"ws://{BaseUri.Authority}/api/websocket");

    /// <summary>Creates the owner through onboarding and exchanges the auth code for tokens; returns an authorized client.</summary>
    public async Task<HttpClient> OnboardAsync(string username = "owner", string password = OwnerPassword)
    {
        var response = await Http.PostAsJsonAsync("api/onboarding/users", new JsonObject
        {
            ["client_id"] = ClientId,
            ["name"] = "Owner",
            ["username"] = username,
            ["password"] = password,
            ["language"] = "en",
        }).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"Onboarding failed: {(int)response.StatusCode} {body}");
        var code = JsonNode.Parse(body)!["auth_code"]!.GetValue<string>();
        var tokens = await ExchangeCodeAsync(code).ConfigureAwait(false);
        AccessToken = tokens["access_token"]!.GetValue<string>();
        RefreshToken = tokens["refresh_token"]!.GetValue<string>();
        return Client(AccessToken);
    }

    /// <summary>Logs in through the login flow of the local provider; returns the token response.</summary>
    public async Task<JsonNode> LoginAsync(string username, string password)
    {
        var flow = await PostJsonAsync("auth/login_flow", new JsonObject
        {
            ["client_id"] = ClientId,
            ["handler"] = new JsonArray("homeassistant", null),
            ["redirect_uri"] = ClientId,
        }).ConfigureAwait(false);
        var step = await PostJsonAsync($"auth/login_flow/{flow["flow_id"]!.GetValue<string>()}", new JsonObject
        {
            ["client_id"] = ClientId,
            ["username"] = username,
            ["password"] = password,
        }).ConfigureAwait(false);
        if (step["type"]!.GetValue<string>() != "create_entry") throw new InvalidOperationException($"Login refused: {step.ToJsonString()}");
        return await ExchangeCodeAsync(step["result"]!.GetValue<string>()).ConfigureAwait(false);
    }

    public async Task<JsonNode> ExchangeCodeAsync(string code)
    {
        using var response = await Http.PostAsync("auth/token", Form(("grant_type", "authorization_code"), ("code", code), ("client_id", ClientId))).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"Token exchange failed: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!;
    }

    public async Task<JsonNode> PostJsonAsync(string path, JsonNode body)
    {
        using var response = await Http.PostAsync(path, Json(body.ToJsonString())).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>A client that sends <c>Authorization: Bearer token</c>.</summary>
    public HttpClient Client(string token)
    {
        var client = new HttpClient { BaseAddress = BaseUri, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public static async Task<JsonNode> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        return JsonNode.Parse(text) ?? throw new InvalidOperationException("Empty JSON body");
    }

    public static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    public static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));

    public void Dispose() => Http.Dispose();
}
