using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using PiHub.Core.Recorder;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Testing;

namespace PiHub.Server.Tests.History;

/// <summary>The recorder inside the real server: its own files, kept across restarts, never a reason to stop serving.</summary>
public sealed class RecorderHostingTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("pihub-recorder-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private static async Task<JsonNode> HistoryAsync(HttpClient client, string entityId)
    {
        using var response = await client.GetAsync($"api/history/period/2020-01-01T00:00:00Z?filter_entity_id={entityId}&end_time={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O", CultureInfo.InvariantCulture))}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return await TestHub.JsonAsync(response);
    }

    [Test]
    public async Task Restart_ChangesMadeJustBeforeStop_FlushedToHistoryFolderAndReadBack()
    {
        await using (var hub = await TestHub.StartAsync(dataDir: _dir))
        {
            using var owner = await hub.OnboardAsync();
            await owner.PostAsync("api/states/sensor.kept", TestHub.Json("""{"state":"42"}"""));
        }

        Assert.That(Directory.GetFiles(Path.Combine(_dir, "history"), "*.log"), Has.Length.EqualTo(1));
        await using var restarted = await TestHub.StartAsync(dataDir: _dir);
        using var client = restarted.Client(await LoginAsync(restarted));

        var rows = (await HistoryAsync(client, "sensor.kept"))[0]!.AsArray();

        Assert.That(rows.Select(r => r!["state"]!.GetValue<string>()), Does.Contain("42"));
    }

    [Test]
    public async Task StartUp_DamagedHistoryFile_MovedAsideOwnerNotifiedHubServes()
    {
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Directory.CreateDirectory(Path.Combine(_dir, "history"));
        var bytes = new byte[4096];
        new Random(1).NextBytes(bytes);
        File.WriteAllBytes(Path.Combine(_dir, "history", today + ".log"), bytes);

        await using var hub = await TestHub.StartAsync(dataDir: _dir);
        using var owner = await hub.OnboardAsync();
        await owner.PostAsync("api/states/sensor.after", TestHub.Json("""{"state":"1"}"""));

        Assert.That(Directory.GetFiles(Path.Combine(_dir, "history"), "*.corrupt-*"), Has.Length.EqualTo(1));
        Assert.That(hub.Service<PiHub.Core.Hub.HubCore>().Notifications.All().Select(n => n.NotificationId), Does.Contain(HistoryRecorder.RecoveryNotificationId));
        Assert.That((await HistoryAsync(owner, "sensor.after")).AsArray(), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task StartUp_HistoryFolderUnusable_HubServesAndSaysHistoryIsNotSaved()
    {
        File.WriteAllText(Path.Combine(_dir, "history"), "a file where the folder should be");

        await using var hub = await TestHub.StartAsync(dataDir: _dir);
        using var owner = await hub.OnboardAsync();
        using var set = await owner.PostAsync("api/states/sensor.x", TestHub.Json("""{"state":"1"}"""));

        Assert.That(set.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(hub.Service<HistoryRecorder>().Status.Failure, Does.Contain("could not be opened"));
        Assert.That(hub.Service<PiHub.Core.Hub.HubCore>().Notifications.All().Select(n => n.NotificationId), Does.Contain(HistoryRecorder.FailureNotificationId));
        Assert.That((await HistoryAsync(owner, "sensor.x")).AsArray(), Has.Count.EqualTo(1), "recent history still answers from memory");
    }

    [Test]
    public async Task Reader_ReadOnlyUser_MayReadHistoryAndLogbook()
    {
        await using var hub = await TestHub.StartAsync(dataDir: _dir);
        using var owner = await hub.OnboardAsync();
        var (ws, _) = await WsClient.AuthenticateAsync(hub.WebSocketUri, hub.AccessToken);
        await using (ws)
        {
            var created = await ws.CallAsync("config/auth/create", new JsonObject { ["name"] = "reader", ["group_ids"] = new JsonArray("system-read-only") });
            var id = created["result"]!["user"]!["id"]!.GetValue<string>();
            await ws.CallAsync("config/auth_provider/homeassistant/create", new JsonObject { ["user_id"] = id, ["username"] = "reader", ["password"] = HubApi.OwnerPassword });
        }

        var token = (await hub.Api.LoginAsync("reader", HubApi.OwnerPassword))["access_token"]!.GetValue<string>();
        using var reader = hub.Client(token);
        using var logbook = await reader.GetAsync("api/logbook");
        var (readerWs, _) = await WsClient.AuthenticateAsync(hub.WebSocketUri, token);
        await using var _ = readerWs;
        var during = await readerWs.CallAsync("history/history_during_period", new JsonObject { ["start_time"] = "2020-01-01T00:00:00Z" });

        Assert.That((await HistoryAsync(reader, "input_boolean.porch")).AsArray(), Has.Count.EqualTo(1));
        Assert.That(logbook.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(during["success"]!.GetValue<bool>(), Is.True);
    }

    private static async Task<string> LoginAsync(TestHub hub) =>
        (await hub.Api.LoginAsync("owner", HubApi.OwnerPassword))["access_token"]!.GetValue<string>();
}
