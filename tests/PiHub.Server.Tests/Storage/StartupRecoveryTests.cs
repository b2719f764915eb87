using System.Text.Json.Nodes;
using PiHub.Core.Auth.Storage;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Storage;
using PiHub.Testing;

namespace PiHub.Server.Tests.Storage;

/// <summary>
/// The user thread's story end to end: a half-written auth file after a brownout. The hub must
/// start, keep the owner (from the snapshot) and tell the owner what happened.
/// </summary>
public class StartupRecoveryTests
{
    [Test]
    public async Task DamagedAuthFile_HubRestoresSnapshot_OwnerLogsInAndIsNotified()
    {
        var dir = Directory.CreateTempSubdirectory("pihub-recovery-").FullName;
        await using (var first = await TestHub.StartAsync(dataDir: dir))
        {
            using var _ = await first.OnboardAsync();
            await ((LiteAuthStore)first.Service<IAuthStore>()).SnapshotAsync();
            await first.App.StopAsync();
        }

        var file = Path.Combine(dir, "auth.db");
        await using (var stream = new FileStream(file, FileMode.Open))
        {
            stream.SetLength(stream.Length / 2); // what a power cut mid-write can leave behind
        }

        await using var second = await TestHub.StartAsync(dataDir: dir);
        var tokens = await second.Api.LoginAsync("owner", HubApi.OwnerPassword);
        var (ws, _) = await WsClient.AuthenticateAsync(second.WebSocketUri, tokens["access_token"]!.GetValue<string>());
        await using var __ = ws;
        var notifications = (await ws.CallAsync("persistent_notification/get"))["result"]!.AsObject();
        var write = await ws.CallAsync("auth/long_lived_access_token", new JsonObject { ["client_name"] = "after recovery", ["lifespan"] = 1 });

        Assert.That(notifications.Select(n => n.Key), Does.Contain("auth_store_recovery"));
        Assert.That(notifications["auth_store_recovery"]!["message"]!.GetValue<string>(), Does.Contain("restored").And.Contain("Lost"));
        Assert.That(Directory.GetFiles(dir, "auth.db.corrupt-*"), Is.Not.Empty, "the damaged file is kept, never deleted");
        Assert.That(write["success"]!.GetValue<bool>(), Is.True, "the recovered store takes writes: " + write.ToJsonString());
        await second.App.StopAsync();
        Directory.Delete(dir, recursive: true);
    }
}
