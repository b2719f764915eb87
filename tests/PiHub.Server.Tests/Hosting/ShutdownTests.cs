using System.Net.WebSockets;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Testing;

namespace PiHub.Server.Tests.Hosting;

/// <summary>Regression: an open WebSocket held a shutdown until the host's 30 s timeout (systemd would kill us).</summary>
public class ShutdownTests
{
    [Test]
    public async Task Stop_WithOpenWebSocket_ClientToldWhyAndStopFinishesItsWork()
    {
        await using var hub = await TestHub.StartOnboardedAsync();
        var (ws, answer) = await WsClient.AuthenticateAsync(hub.WebSocketUri, hub.AccessToken);
        await using var __ = ws;
        Assert.That(answer["type"]!.GetValue<string>(), Is.EqualTo("auth_ok"));

        var closed = ws.WaitForCloseAsync(TimeSpan.FromSeconds(20));
        // The host cancels this token when its shutdown timeout runs out; hosted services that
        // still had work (flushing "last used" times) then fail with TaskCanceledException.
        await hub.App.StopAsync();

        Assert.That(await closed, Is.EqualTo(WebSocketCloseStatus.EndpointUnavailable));
        Assert.That(ws.CloseReason, Does.Contain("shutting down"));
    }
}
