using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using PiHub.Server.Hosting;
using PiHub.Testing;

namespace PiHub.Server.Tests.Infrastructure;

/// <summary>
/// A real PiHub in this process (real Kestrel on a loopback port, real stores in a temp folder),
/// driven through its public HTTP API as a client would.
/// </summary>
public sealed class TestHub : IAsyncDisposable
{
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

    public T Service<T>() where T : notnull => App.Services.GetRequiredService<T>();

    public static async Task<TestHub> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, string? dataDir = null, TimeProvider? time = null,
        Action<IServiceCollection>? services = null)
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
        var app = PiHubApplication.Build([], overrides, time, services);
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestHub(app, dataDir, new Uri(address + "/"), ownsDataDir);
    }

    public Task<HttpClient> OnboardAsync(string username = "owner", string password = HubApi.OwnerPassword) => Api.OnboardAsync(username, password);

    public HttpClient Client(string token) => Api.Client(token);

    public static Task<System.Text.Json.Nodes.JsonNode> JsonAsync(HttpResponseMessage response) => HubApi.JsonAsync(response);

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
