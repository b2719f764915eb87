using System.Text.Json.Nodes;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Testing;

namespace PiHub.Server.Tests.Webhooks;

/// <summary>Webhooks live in the auth store: a Plex URL keeps working after a restart.</summary>
public class WebhookPersistenceTests
{
    [Test]
    public async Task Webhook_SurvivesRestart()
    {
        var dir = Directory.CreateTempSubdirectory("pihub-test-").FullName;
        var first = await TestHub.StartAsync(dataDir: dir);
        await first.OnboardAsync();
        string id;
        var (ws, _) = await WsClient.AuthenticateAsync(first.WebSocketUri, first.AccessToken);
        await using (ws)
        {
            id = (await ws.CallAsync("pihub/webhook/create", new JsonObject { ["name"] = "Plex", ["local_only"] = true }))["result"]!["webhook_id"]!.GetValue<string>();
        }

        // Stop without deleting the data folder.
        first.Api.Dispose();
        await first.App.StopAsync();
        await first.App.DisposeAsync();

        await using var second = await TestHub.StartAsync(dataDir: dir);
        var tokens = await second.Api.LoginAsync("owner", HubApi.OwnerPassword);
        var (again, _) = await WsClient.AuthenticateAsync(second.WebSocketUri, tokens["access_token"]!.GetValue<string>());
        await using var _ = again;
        var list = await again.CallAsync("pihub/webhook/list");

        var entry = list["result"]!.AsArray().Single()!;
        Assert.That(entry["webhook_id"]!.GetValue<string>(), Is.EqualTo(id));
        Assert.That(entry["local_only"]!.GetValue<bool>(), Is.True);
    }
}
