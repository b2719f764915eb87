using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using PiHub.Core.Auth;
using PiHub.Core.Auth.Storage;
using PiHub.Server.Auth;
using PiHub.Server.Endpoints;
using PiHub.Testing.Auth;

namespace PiHub.Server.Tests.Auth;

/// <summary>A real Kestrel on 127.0.0.1 with the auth endpoints over an in-memory store and a fake clock.</summary>
internal sealed class AuthTestServer : IAsyncDisposable
{
    public const string ClientId = "http://127.0.0.1:8123/";
    public const string OwnerPassword = "correct horse battery";

    private readonly WebApplication _app;

    private AuthTestServer(WebApplication app, HttpClient client)
    {
        _app = app;
        Client = client;
    }

    public HttpClient Client { get; }

    public InMemoryAuthStore Store => (InMemoryAuthStore)_app.Services.GetRequiredService<IAuthStore>();

    public FakeTimeProvider Time => (FakeTimeProvider)_app.Services.GetRequiredService<TimeProvider>();

    public AuthManager Manager => _app.Services.GetRequiredService<AuthManager>();

    public static async Task<AuthTestServer> StartAsync(int passwordIterations = 1_000)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IAuthStore>(new InMemoryAuthStore());
        builder.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(DateTimeOffset.UtcNow));
        var options = new PiHub.Server.Configuration.PiHubOptions
        {
            Source = "test",
            Hub = new PiHub.Core.Hub.HubInfo("Test", "UTC", "metric", "0.0.0"),
            Http = new PiHub.Server.Configuration.HttpOptions(),
            Storage = new PiHub.Server.Configuration.StorageOptions { DataDir = Path.GetTempPath() },
        };
        builder.Services.AddPiHubAuth(options, o => o.PasswordIterations = passwordIterations);
        var app = builder.Build();
        app.MapAuthEndpoints();
        app.MapOnboardingEndpoints();

        // Test-only: what the lead's REST layer will do with a bearer token.
        app.MapGet("/test/whoami", (HttpContext context, AuthManager manager, CancellationToken ct) =>
        {
            var header = context.Request.Headers.Authorization.ToString();
            var token = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header[7..] : null;
            return manager.AccessTokens.TryAuthenticate(token, PiHub.Server.Http.ClientAddress.Of(context), out var principal)
                ? Results.Text(principal.User.Name)
                : Results.StatusCode(401);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(address) };
        return new AuthTestServer(app, client);
    }

    /// <summary>A client whose connections come from another loopback address (e.g. 127.0.0.2).</summary>
    public HttpClient ClientFrom(IPAddress source) => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
            try
            {
                socket.Bind(new IPEndPoint(source, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    }) { BaseAddress = Client.BaseAddress };

    public async Task<string> OnboardAsync()
    {
        var response = await Client.PostAsync("/api/onboarding/users", Json(new JsonObject
        {
            ["client_id"] = ClientId,
            ["name"] = "Alice",
            ["username"] = "alice",
            ["password"] = OwnerPassword,
            ["language"] = "en",
        }));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await ReadJsonAsync(response))["auth_code"]!.GetValue<string>();
    }

    public async Task<JsonObject> StartFlowAsync()
    {
        var response = await Client.PostAsync("/auth/login_flow", Json(new JsonObject
        {
            ["client_id"] = ClientId,
            ["handler"] = new JsonArray("homeassistant", null),
            ["redirect_uri"] = ClientId,
            ["type"] = "authorize",
        }));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await ReadJsonAsync(response);
    }

    public async Task<HttpResponseMessage> StepAsync(string flowId, string username, string password) =>
        await Client.PostAsync($"/auth/login_flow/{flowId}", Json(new JsonObject
        {
            ["client_id"] = ClientId,
            ["username"] = username,
            ["password"] = password,
        }));

    /// <summary>Logs in with username and password; returns the auth code.</summary>
    public async Task<string> LoginAsync(string username = "alice", string password = OwnerPassword)
    {
        var flow = await StartFlowAsync();
        var response = await StepAsync(flow["flow_id"]!.GetValue<string>(), username, password);
        var body = await ReadJsonAsync(response);
        Assert.That(body["type"]!.GetValue<string>(), Is.EqualTo("create_entry"), body.ToJsonString());
        return body["result"]!.GetValue<string>();
    }

    public Task<HttpResponseMessage> TokenAsync(params (string Key, string Value)[] fields) =>
        Client.PostAsync("/auth/token",
            new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value))));

    /// <summary>Onboards, logs in and exchanges the code: the token response as JSON.</summary>
    public async Task<JsonObject> LoginForTokensAsync()
    {
        if (!Manager.IsOnboarded) await OnboardAsync();
        var code = await LoginAsync();
        var response = await TokenAsync(("grant_type", "authorization_code"), ("code", code), ("client_id", ClientId));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await ReadJsonAsync(response);
    }

    public async Task<HttpStatusCode> WhoAmIAsync(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/test/whoami");
        request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {token}");
        using var response = await Client.SendAsync(request);
        return response.StatusCode;
    }

    public static StringContent Json(JsonNode node) => new(node.ToJsonString(), System.Text.Encoding.UTF8, "application/json");

    public static async Task<JsonObject> ReadJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text)?.AsObject() ?? throw new InvalidOperationException($"Not a JSON object: {text}");
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
