using System.Text.Json;
using System.Text.Json.Nodes;
using PiHub.Core.Hub;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Server.WebSockets;
using PiHub.Testing;

namespace PiHub.Server.Tests.Regressions;

/// <summary>
/// Issue 9, item 9: the cap on a client that stops reading counted messages (4,096), not bytes, so one stuck client
/// could hold gigabytes of large messages on a Pi. It now also counts bytes (<see cref="WsOutbox.MaxPendingBytes"/>).
/// </summary>
public class StuckClientQueuedBytesTests : OnboardedHubTests
{
    [Test]
    public async Task FewLargeMessagesNotRead_ClientDroppedLongBeforeTheMessageCap()
    {
        var (stuck, _) = await WsClient.AuthenticateAsync(Hub.WebSocketUri, Hub.AccessToken);
        await using var _ = stuck;
        await stuck.CallAsync("subscribe_events", new JsonObject { ["event_type"] = "large" });
        var hub = Hub.Service<HubCore>();
        var data = JsonDocument.Parse($$"""{"pad":"{{new string('x', 64 * 1024)}}"}""").RootElement;

        // 600 messages (well under the 4,096-message cap) of 64 KiB: about 38 MiB, far more than the socket buffers.
        for (var i = 0; i < 600; i++) hub.Bus.Fire(new CustomEvent("large", data, HubContext.New(), DateTimeOffset.UtcNow));

        var status = await stuck.WaitForCloseAsync(TimeSpan.FromSeconds(20));

        Assert.That(status, Is.Not.Null, "the client holding 38 MiB of unread messages was not dropped");
    }

    [Test]
    public async Task OneMessageLargerThanTheByteCap_StillDelivered()
    {
        var (client, _) = await WsClient.AuthenticateAsync(Hub.WebSocketUri, Hub.AccessToken);
        await using var _ = client;
        await client.CallAsync("subscribe_events", new JsonObject { ["event_type"] = "huge" });
        var data = JsonDocument.Parse($$"""{"pad":"{{new string('y', (int)WsOutbox.MaxPendingBytes + 1024)}}"}""").RootElement;

        Hub.Service<HubCore>().Bus.Fire(new CustomEvent("huge", data, HubContext.New(), DateTimeOffset.UtcNow));
        var received = await client.ReceiveAsync(m => m["type"]?.GetValue<string>() == "event", TimeSpan.FromSeconds(20));

        Assert.That(received["event"]!["data"]!["pad"]!.GetValue<string>(), Has.Length.EqualTo((int)WsOutbox.MaxPendingBytes + 1024));
    }
}
