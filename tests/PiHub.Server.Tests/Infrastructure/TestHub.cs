using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using PiHub.Core.Auth;
using PiHub.Server.Hosting;
using PiHub.Testing;

namespace PiHub.Server.Tests.Infrastructure;

/// <summary>
/// The real application (<see cref="PiHubApplication.Build(string[], IReadOnlyDictionary{string, string?}?, TimeProvider?)"/>:
/// real Kestrel on a loopback port, real stores in a temp folder, every middleware and endpoint) in this
/// process, driven through its public HTTP and WebSocket API as a client would. The one difference from
/// production is the password cost (<see cref="TestPasswordIterations"/>), unless a test asks for the real one.
/// </summary>
public sealed class TestHub : IAsyncDisposable
{
    /// <summary>
    /// PBKDF2 rounds for passwords in tests: production's 600,000 would spend minutes of the suite in
    /// hashing that no test measures. Hashes name their own cost, so stores stay readable either way.
    /// </summary>
    public const int TestPasswordIterations = 1_000;

    private readonly bool _ownsDataDir;

    private TestHub(WebApplication app, string dataDir, Uri baseUri, bool ownsDataDir)
    {
        App = app;
        DataDir = dataDir;
        _ownsDataDir = ownsDataDir;
        Api = new HubApi(baseUri);
    }

    public WebApplication App { get; }

    public string DataDir { get; }

    public HubApi Api { get; }

    public HttpClient Http => Api.Http;

    public string? AccessToken => Api.AccessToken;

    public string? RefreshToken => Api.RefreshToken;

    public Uri WebSocketUri => Api.WebSocketUri;

    /// <summary>A service of the running application, for the few tests that look inside (keep them few).</summary>
    public T Service<T>() where T : notnull => App.Services.GetRequiredService<T>();

    /// <summary>
    /// Starts a hub. <paramref name="settings"/> are configuration keys (<c>auth:trusted_networks:0:cidr</c>);
    /// <paramref name="dataDir"/> reuses a folder (restarts; the caller deletes it); <paramref name="time"/>
    /// is the hub's clock (a <c>FakeTimeProvider</c> to move time). <paramref name="passwordIterations"/>:
    /// null keeps the application's own cost (production's); <paramref name="services"/> replaces
    /// registrations (see <see cref="DecorateSingleton{T}"/>).
    /// </summary>
    public static async Task<TestHub> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, string? dataDir = null,
        TimeProvider? time = null, int? passwordIterations = TestPasswordIterations, Action<IServiceCollection>? services = null)
    {
        var ownsDataDir = dataDir is null;
        dataDir ??= Directory.CreateTempSubdirectory("pihub-test-").FullName;
        var overrides = new Dictionary<string, string?>
        {
            ["storage:data_dir"] = dataDir,
            ["http:server_host"] = "127.0.0.1",
            ["http:server_port"] = "0",
            ["input_boolean:porch:name"] = "Porch light",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>()) overrides[k] = v;
        var app = PiHubApplication.Build([], overrides, time, s =>
        {
            if (passwordIterations is { } iterations) s.AddSingleton(new PasswordHasher(iterations));
            services?.Invoke(s);
        });
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestHub(app, dataDir, new Uri(address + "/"), ownsDataDir);
    }

    /// <summary>Starts a hub (as <see cref="StartAsync"/>) and onboards the owner: <see cref="AccessToken"/> is theirs.</summary>
    public static async Task<TestHub> StartOnboardedAsync(IReadOnlyDictionary<string, string?>? settings = null, TimeProvider? time = null,
        int? passwordIterations = TestPasswordIterations, Action<IServiceCollection>? services = null)
    {
        var hub = await StartAsync(settings, time: time, passwordIterations: passwordIterations, services: services).ConfigureAwait(false);
        try
        {
            (await hub.OnboardAsync().ConfigureAwait(false)).Dispose();
            return hub;
        }
        catch
        {
            await hub.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Replaces the singleton <typeparamref name="T"/> with <paramref name="wrap"/> around the application's
    /// own instance (for <paramref name="services"/> of <see cref="StartAsync"/>), e.g. a store that fails on demand.
    /// </summary>
    public static void DecorateSingleton<T>(IServiceCollection services, Func<T, T> wrap) where T : class
    {
        var original = services.Last(d => d.ServiceType == typeof(T));
        services.Remove(original); // never built: a second auth store would not get the folder's lock
        services.Add(ServiceDescriptor.Singleton<T>(sp => wrap(original.ImplementationFactory is { } factory
            ? (T)factory(sp)
            : (T?)original.ImplementationInstance ?? (T)ActivatorUtilities.CreateInstance(sp, original.ImplementationType!))));
    }

    /// <summary>Creates the owner ("owner" unless told) through onboarding; returns the owner's authorized client (the caller disposes it).</summary>
    public Task<HttpClient> OnboardAsync(string username = "owner", string password = HubApi.OwnerPassword) => Api.OnboardAsync(username, password);

    public HttpClient Client(string token) => Api.Client(token);

    /// <summary>An HTTP client whose connections come from <paramref name="source"/> (e.g. 127.0.0.2), see <see cref="Loopback"/>.</summary>
    public HttpClient ClientFrom(string source, string? forwardedFor = null, string? token = null) =>
        Loopback.Client(Api.BaseUri, source, forwardedFor, token);

    /// <summary>A WebSocket from <paramref name="source"/>, authenticated with <paramref name="token"/> (null: none).</summary>
    public Task<(WsClient Client, JsonNode Answer)> WebSocketFromAsync(string source, string? token, string? forwardedFor = null) =>
        Loopback.WebSocketAsync(WebSocketUri, source, token, forwardedFor);

    /// <summary>Creates a user with a local login (password <see cref="HubApi.OwnerPassword"/>) over the owner's WebSocket; returns the user id.</summary>
    public async Task<string> CreateUserAsync(string name, string username, bool admin = false)
    {
        var (ws, _) = await WsClient.AuthenticateAsync(WebSocketUri, AccessToken).ConfigureAwait(false);
        await using var _ = ws;
        var created = await ws.CallAsync("config/auth/create", new JsonObject
        {
            ["name"] = name,
            ["group_ids"] = new JsonArray(admin ? "system-admin" : "system-users"),
        }).ConfigureAwait(false);
        var id = created["result"]!["user"]!["id"]!.GetValue<string>();
        var credential = await ws.CallAsync("config/auth_provider/homeassistant/create", new JsonObject
        {
            ["user_id"] = id,
            ["username"] = username,
            ["password"] = HubApi.OwnerPassword,
        }).ConfigureAwait(false);
        if (!credential["success"]!.GetValue<bool>()) throw new InvalidOperationException(credential.ToJsonString());
        return id;
    }

    public static Task<JsonNode> JsonAsync(HttpResponseMessage response) => HubApi.JsonAsync(response);

    public static StringContent Json(string json) => HubApi.Json(json);

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await App.StopAsync().ConfigureAwait(false);
        await App.DisposeAsync().ConfigureAwait(false);
        if (!_ownsDataDir) return; // a test that passed its own folder reuses it (restarts)
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is harmless.
        }
    }
}
