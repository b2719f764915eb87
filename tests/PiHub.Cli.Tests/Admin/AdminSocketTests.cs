using System.Net;
using System.Net.Sockets;
using PiHub.Cli.Tests.Infrastructure;

namespace PiHub.Cli.Tests.Admin;

/// <summary>The admin socket: reachable only as a 0600 Unix socket, never over TCP, and only by permitted peers.</summary>
public sealed class AdminSocketTests
{
    private CliHub _hub = null!;

    [SetUp]
    public async Task StartAsync() => _hub = await CliHub.StartWithOwnerAsync();

    [TearDown]
    public async Task StopAsync() => await _hub.DisposeAsync();

    [Test]
    public async Task AdminRoute_OverTcp_404()
    {
        using var response = await _hub.Api.Http.PostAsync("admin/v1/users.list", new StringContent("""{"command":"users.list"}"""));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task PublicApi_OverAdminSocket_404()
    {
        using var http = SocketClient(_hub.Socket);

        using var response = await http.GetAsync(new Uri("http://localhost/api/"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public void AdminSocket_Running_IsMode0600()
    {
        Assert.That(File.GetUnixFileMode(_hub.Socket), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }

    [Test]
    public async Task AdminSocket_Stopped_FileRemoved()
    {
        await _hub.StopAsync();

        Assert.That(File.Exists(_hub.Socket), Is.False);
    }

    internal static HttpClient SocketClient(string path) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (_, ct) =>
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), ct);
            return new NetworkStream(socket, ownsSocket: true);
        },
    });
}
