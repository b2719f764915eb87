using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using PiHub.Cli;
using PiHub.Cli.Hosting;
using PiHub.Server.Hosting;
using PiHub.Testing;

namespace PiHub.Cli.Tests.Infrastructure;

/// <summary>Whether pihub-cli finds the service running (admin socket) or stopped (store files).</summary>
public enum HubMode
{
    Running,
    Stopped,
}

/// <summary>What one pihub-cli invocation printed and returned.</summary>
public sealed record CliRun(int ExitCode, string Out, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}--- stderr\n{Error}";
}

/// <summary>
/// A real PiHub in this process, configured by a pihub.yaml in a temp folder that pihub-cli reads too
/// (<c>--config</c>): same data folder, same admin socket. It can be stopped and started again on the same
/// data, so every command runs against a running service and against the bare store.
/// </summary>
public sealed class CliHub : IAsyncDisposable
{
    private WebApplication? _app;

    private CliHub(string root, string extraConfig)
    {
        Root = root;
        DataDir = Path.Combine(root, "data");
        ConfigFile = Path.Combine(root, "pihub.yaml");
        File.WriteAllText(ConfigFile, $"""
            http:
              server_host: 127.0.0.1
              server_port: 0
            storage:
              data_dir: {DataDir}
            admin:
              socket: {Path.Combine(root, "admin.sock")}

            """ + extraConfig);
    }

    static CliHub() => AdminRunner.StartupWait = TimeSpan.FromSeconds(3);

    public string Root { get; }

    public string DataDir { get; }

    public string ConfigFile { get; }

    public string Socket => Path.Combine(Root, "admin.sock");

    public HubApi Api { get; private set; } = null!;

    public bool IsRunning => _app is not null;

    public T Service<T>() where T : notnull => (_app ?? throw new InvalidOperationException("The hub is stopped.")).Services.GetRequiredService<T>();

    /// <summary>A running hub with an owner "owner" (password <see cref="HubApi.OwnerPassword"/>).</summary>
    /// <paramref name="extraConfig"/>: more top-level YAML sections for pihub.yaml (e.g. <c>power:</c>).
    public static async Task<CliHub> StartWithOwnerAsync(string extraConfig = "")
    {
        var hub = await StartFreshAsync(extraConfig).ConfigureAwait(false);
        await hub.Api.OnboardAsync().ConfigureAwait(false);
        return hub;
    }

    /// <summary>A running hub without an owner yet.</summary>
    public static async Task<CliHub> StartFreshAsync(string extraConfig = "")
    {
        var hub = new CliHub(Directory.CreateTempSubdirectory("pihub-cli-").FullName, extraConfig);
        await hub.StartAsync().ConfigureAwait(false);
        return hub;
    }

    public async Task StartAsync()
    {
        if (_app is not null) return;
        _app = PiHubApplication.Build(["--config", ConfigFile]);
        await _app.StartAsync().ConfigureAwait(false);
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Api?.Dispose();
        Api = new HubApi(new Uri(address + "/"));
    }

    public async Task StopAsync()
    {
        if (_app is null) return;
        var app = _app;
        _app = null;
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Puts the hub in <paramref name="mode"/> (a stopped hub keeps its data).</summary>
    public Task EnterAsync(HubMode mode) => mode == HubMode.Running ? StartAsync() : StopAsync();

    /// <summary>Runs pihub-cli in this process with this hub's config; <paramref name="stdin"/> is its standard input.</summary>
    public async Task<CliRun> CliWithInputAsync(string stdin, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var input = new StringReader(stdin);
        var console = new CliConsole(output, error, input, inputIsTerminal: false, _ => throw new InvalidOperationException("No terminal in this test."));
        var exit = await CliApp.RunAsync([.. args, "--config", ConfigFile], console).ConfigureAwait(false);
        return new CliRun(exit, output.ToString(), error.ToString());
    }

    public Task<CliRun> CliAsync(params string[] args) => CliWithInputAsync("", args);

    /// <summary>Logs in over HTTP (the hub must be running); returns the token response.</summary>
    public Task<JsonNode> LoginAsync(string username, string password = HubApi.OwnerPassword) => Api.LoginAsync(username, password);

    /// <summary>An HTTP client whose connections come from another loopback address (the "laptop").</summary>
    public HttpClient From(string source) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
                await socket.ConnectAsync(context.DnsEndPoint, ct).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    { BaseAddress = Api.BaseUri };

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        Api?.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is harmless.
        }
    }
}
