using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using PiHub.Core.Auth.Validation;
using PiHub.Server.Auth.ClientPages;
using PiHub.Server.Tests.Infrastructure;

namespace PiHub.Server.Tests.Regressions;

/// <summary>
/// Issue 24, item 6: a login flow whose <c>client_id</c> was <c>http://127.0.0.1:&lt;port&gt;/</c> (or <c>localhost</c>)
/// and whose redirect_uri was off that host made the hub connect to the port to read the "client page", and the 400
/// quoted what answered (<c>Received an invalid status line: 'SSH-2.0-…'</c>): an unauthenticated banner grabber and
/// port scanner for the hub's own loopback. Now such an address is refused before any connection, and the refusal
/// quotes neither the other side's bytes nor an exception's text. A client_id on loopback is still a valid client id.
/// </summary>
public class ClientPageReadReachesLoopbackTests
{
    private const string OffHost = "com.example.app://oauth-callback";

    [TestCase("127.0.0.1", "127.0.0.1")]
    [TestCase("localhost", "127.0.0.1")]
    [TestCase("127.0.0.9", "127.0.0.9")]
    public async Task ClientIdOnLoopback_NoConnectionMade_RefusalQuotesNothing(string host, string serviceAddress)
    {
        using var service = new BannerService(serviceAddress, "SSH-2.0-OpenSSH_9.6p1 Debian-4\r\n");
        await using var hub = await TestHub.StartOnboardedAsync();

        var (status, body) = await StartFlowAsync(hub, $"http://{host}:{service.Port}/", OffHost);

        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest), body.ToJsonString());
        var message = body["message"]!.GetValue<string>();
        Assert.That(message, Does.Not.Contain("SSH").And.Not.Contain("status line"));
        Assert.That(message, Does.Contain("loopback"));
        Assert.That(service.Connections, Is.Zero, "the hub never connects to its own loopback for a client page");
    }

    [Test]
    public async Task ClientIdOnLoopbackWithItsOwnRedirectUri_StillAccepted()
    {
        using var service = new BannerService("127.0.0.1", "SSH-2.0-OpenSSH_9.6p1 Debian-4\r\n");
        await using var hub = await TestHub.StartOnboardedAsync();
        var clientId = $"http://127.0.0.1:{service.Port}/";

        var (status, body) = await StartFlowAsync(hub, clientId, clientId + "callback");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToJsonString());
        Assert.That(service.Connections, Is.Zero);
    }

    [Test]
    public async Task ClientPageRedirectsToLoopback_RedirectNotFollowed()
    {
        // The test's "public" site is on 127.0.0.1 too, so here only 127.0.0.9 stands for the refused loopback.
        using var service = new BannerService("127.0.0.9", "SSH-2.0-OpenSSH_9.6p1 Debian-4\r\n");
        await using var site = await ClientSite.StartAsync(app => app.MapGet("/", c =>
        {
            c.Response.Redirect($"http://127.0.0.9:{service.Port}/");
            return Task.CompletedTask;
        }));
        var inside = IPAddress.Parse("127.0.0.9");
        await using var hub = await TestHub.StartOnboardedAsync(services: s => s.AddSingleton<IClientPageReader>(_ => new ClientPageReader(
            TimeProvider.System, NullLogger<ClientPageReader>.Instance, ClientPageLimits.Timeout,
            a => a.Equals(inside) ? "a loopback address (this machine)" : null)));

        var (status, body) = await StartFlowAsync(hub, site.BaseUri.ToString(), OffHost);

        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest), body.ToJsonString());
        Assert.That(body["message"]!.GetValue<string>(), Does.Contain("its address 127.0.0.9 is a loopback address").And.Not.Contain("SSH"));
        Assert.That(site.Requests, Is.EqualTo(1));
        Assert.That(service.Connections, Is.Zero, "the redirect's connection is checked like the first");
    }

    private static async Task<(HttpStatusCode Status, JsonNode Body)> StartFlowAsync(TestHub hub, string clientId, string redirectUri)
    {
        var request = new JsonObject
        {
            ["client_id"] = clientId,
            ["handler"] = new JsonArray("homeassistant", null),
            ["redirect_uri"] = redirectUri,
        };
        using var response = await hub.Http.PostAsync("/auth/login_flow", TestHub.Json(request.ToJsonString()));
        return (response.StatusCode, await TestHub.JsonAsync(response));
    }

    /// <summary>A non-HTTP service on a loopback address that greets every connection with a banner, as sshd does.</summary>
    private sealed class BannerService : IDisposable
    {
        private readonly TcpListener _listener;
        private int _connections;

        public BannerService(string address, string banner)
        {
            _listener = new TcpListener(IPAddress.Parse(address), 0);
            _listener.Start();
            _ = AcceptAsync(Encoding.ASCII.GetBytes(banner));
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public int Connections => Volatile.Read(ref _connections);

        public void Dispose() => _listener.Stop();

        private async Task AcceptAsync(byte[] banner)
        {
            try
            {
                while (true)
                {
                    using var client = await _listener.AcceptTcpClientAsync();
                    Interlocked.Increment(ref _connections);
                    await client.GetStream().WriteAsync(banner);
                    await Task.Delay(200);
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or IOException)
            {
                // Stopped.
            }
        }
    }
}
