using System.Net;
using System.Text.Json.Nodes;
using PiHub.Testing;

namespace PiHub.Server.Tests.Auth;

/// <summary>
/// The onboarding and <c>homeassistant</c> login-flow requests one step at a time, as a browser sends
/// them, for tests that look at each answer (<see cref="HubApi"/> runs the whole flow at once).
/// </summary>
internal static class PasswordFlow
{
    /// <summary>Creates the owner ("owner") through onboarding; returns the auth code (not exchanged).</summary>
    public static async Task<string> OnboardAsync(HttpClient client)
    {
        var response = await client.PostAsync("/api/onboarding/users", Json(new JsonObject
        {
            ["client_id"] = HubApi.ClientId,
            ["name"] = "Owner",
            ["username"] = "owner",
            ["password"] = HubApi.OwnerPassword,
            ["language"] = "en",
        }));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await ReadJsonAsync(response))["auth_code"]!.GetValue<string>();
    }

    /// <summary>True once the owner exists, as <c>GET /api/onboarding</c> reports it (the "user" step done).</summary>
    public static async Task<bool> IsOnboardedAsync(HttpClient client)
    {
        var steps = JsonNode.Parse(await client.GetStringAsync("/api/onboarding"))!.AsArray();
        return steps.Single(s => s!["step"]!.GetValue<string>() == "user")!["done"]!.GetValue<bool>();
    }

    public static async Task<JsonObject> StartAsync(HttpClient client)
    {
        var response = await client.PostAsync("/auth/login_flow", Json(new JsonObject
        {
            ["client_id"] = HubApi.ClientId,
            ["handler"] = new JsonArray("homeassistant", null),
            ["redirect_uri"] = HubApi.ClientId,
            ["type"] = "authorize",
        }));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await ReadJsonAsync(response);
    }

    public static Task<HttpResponseMessage> StepAsync(HttpClient client, string flowId, string username, string password) =>
        client.PostAsync($"/auth/login_flow/{flowId}", Json(new JsonObject
        {
            ["client_id"] = HubApi.ClientId,
            ["username"] = username,
            ["password"] = password,
        }));

    /// <summary>Logs in with username and password; returns the auth code.</summary>
    public static async Task<string> LoginAsync(HttpClient client, string username = "owner", string password = HubApi.OwnerPassword)
    {
        var flow = await StartAsync(client);
        var body = await ReadJsonAsync(await StepAsync(client, flow["flow_id"]!.GetValue<string>(), username, password));
        Assert.That(body["type"]!.GetValue<string>(), Is.EqualTo("create_entry"), body.ToJsonString());
        return body["result"]!.GetValue<string>();
    }

    public static Task<HttpResponseMessage> TokenAsync(HttpClient client, params (string Key, string Value)[] fields) =>
        client.PostAsync("/auth/token", HubApi.Form(fields));

    /// <summary>The status of <c>GET /api/</c> with <paramref name="accessToken"/>: 200 while the token is good, 401 after.</summary>
    public static async Task<HttpStatusCode> ApiStatusAsync(HttpClient client, string accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/");
        request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {accessToken}");
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    public static StringContent Json(JsonNode node) => HubApi.Json(node.ToJsonString());

    public static async Task<JsonObject> ReadJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text)?.AsObject() ?? throw new InvalidOperationException($"Not a JSON object: {text}");
    }
}
