using System.Net;
using System.Text.Json.Nodes;
using PiHub.Core.Admin;
using PiHub.Core.Auth.Storage;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Testing;
using static PiHub.Server.Tests.Metrics.MetricsScrape;

namespace PiHub.Server.Tests.Metrics;

/// <summary>
/// <c>GET /api/pihub/metrics</c> through the real server: valid Prometheus text, figures that move when the hub
/// works (fan-out deliveries, requests, logins, commits), and the same access rule as other admin-only endpoints.
/// </summary>
public class MetricsEndpointTests() : OnboardedHubTests(HubLifetime.PerFixture)
{
    private static readonly string[] s_routeGroups = ["api", "auth", "websocket", "webhook", "dashboard", "other"];

    [Test]
    public async Task Scrape_Admin_ParsesAsPrometheusTextWithEveryFamily()
    {
        var families = await ScrapeAsync(Owner);

        Assert.That(families.Keys, Is.SupersetOf(new[]
        {
            "pihub_http_requests_total", "pihub_http_request_duration_seconds", "pihub_websocket_clients", "pihub_auth_bans_active",
            "pihub_auth_store_commit_duration_seconds", "process_cpu_seconds_total", "process_resident_memory_bytes",
            "dotnet_gc_collections_total", "dotnet_gc_heap_size_bytes",
        }));
        Assert.That(families["pihub_http_requests_total"].Type, Is.EqualTo("counter"));
        Assert.That(families["pihub_http_request_duration_seconds"].Type, Is.EqualTo("histogram"));
        Assert.That(families["pihub_websocket_clients"].Type, Is.EqualTo("gauge"));
        Assert.That(Value(families, "process_resident_memory_bytes"), Is.GreaterThan(1_000_000));
        Assert.That(Value(families, "process_cpu_seconds_total"), Is.GreaterThan(0));
        Assert.That(Value(families, "pihub_auth_store_commit_duration_seconds_count"), Is.GreaterThanOrEqualTo(1), "onboarding committed the owner");
    }

    [Test]
    public async Task Scrape_AfterStateChangeDeliveredToSubscriber_DeliveryCountRises()
    {
        var before = await ScrapeAsync(Owner);
        var (ws, _) = await WsClient.AuthenticateAsync(Hub.WebSocketUri, Hub.AccessToken);
        await using (ws)
        {
            await ws.CallAsync("subscribe_events", new JsonObject { ["event_type"] = "state_changed" });

            await Owner.PostAsync("api/states/sensor.metrics_fanout", TestHub.Json("""{"state":"42"}"""));
            await ws.ReceiveAsync(m => m["type"]?.GetValue<string>() == "event"
                && m["event"]?["data"]?["entity_id"]?.GetValue<string>() == "sensor.metrics_fanout");
            var after = await ScrapeAsync(Owner);

            Assert.That(Value(after, "pihub_fanout_delivery_duration_seconds_count"),
                Is.GreaterThanOrEqualTo(Value(before, "pihub_fanout_delivery_duration_seconds_count") + 1));
            Assert.That(Value(after, "pihub_fanout_deliveries_total"), Is.GreaterThanOrEqualTo(Value(before, "pihub_fanout_deliveries_total") + 1));
            Assert.That(Value(after, "pihub_websocket_clients"), Is.GreaterThanOrEqualTo(1));
            Assert.That(after["pihub_fanout_delivery_duration_seconds"].Samples.Where(s => s.Name.EndsWith("_bucket", StringComparison.Ordinal)).Select(s => s.Labels["le"]),
                Does.Contain("0.025"), "a bucket at the 25 ms target, so the p99 read from buckets is close");
        }
    }

    [Test]
    public async Task Scrape_AfterEntitySubscriptionDelivery_DeliveryCountRises()
    {
        var before = Value(await ScrapeAsync(Owner), "pihub_fanout_delivery_duration_seconds_count");
        var (ws, _) = await WsClient.AuthenticateAsync(Hub.WebSocketUri, Hub.AccessToken);
        await using (ws)
        {
            await ws.CallAsync("subscribe_entities", new JsonObject { ["entity_ids"] = new JsonArray("sensor.metrics_entities") });

            await Owner.PostAsync("api/states/sensor.metrics_entities", TestHub.Json("""{"state":"on"}"""));
            await ws.ReceiveAsync(m => m["type"]?.GetValue<string>() == "event" && m["event"]?["a"]?["sensor.metrics_entities"] is not null);

            Assert.That(Value(await ScrapeAsync(Owner), "pihub_fanout_delivery_duration_seconds_count"), Is.GreaterThanOrEqualTo(before + 1));
        }
    }

    [Test]
    public async Task Scrape_Requests_LabelledByRouteGroupNeverByPath()
    {
        var before = Value(await ScrapeAsync(Owner), "pihub_http_requests_total", ("group", "api"), ("status", "4xx"));
        using (await Owner.GetAsync("api/states/sensor.metrics_no_such_entity"))
        {
        }

        var after = await ScrapeAsync(Owner);

        Assert.That(Value(after, "pihub_http_requests_total", ("group", "api"), ("status", "4xx")), Is.GreaterThanOrEqualTo(before + 1));
        var labelValues = after.Values.Where(f => f.Name.StartsWith("pihub_http_", StringComparison.Ordinal))
            .SelectMany(f => f.Samples).SelectMany(s => s.Labels).Where(l => l.Key == "group").Select(l => l.Value).Distinct();
        Assert.That(labelValues, Is.SubsetOf(s_routeGroups));
        Assert.That(after.Values.SelectMany(f => f.Samples).SelectMany(s => s.Labels.Values), Has.None.Contains("metrics_no_such_entity"));
    }

    [Test]
    public async Task Scrape_AfterLogins_CountsSucceededAndFailed()
    {
        var before = await ScrapeAsync(Owner);

        await Hub.Api.LoginAsync("owner", HubApi.OwnerPassword);
        Assert.ThrowsAsync<InvalidOperationException>(() => Hub.Api.LoginAsync("owner", "not the password"));
        var after = await ScrapeAsync(Owner);

        Assert.That(Value(after, "pihub_auth_logins_total", ("result", "succeeded")), Is.EqualTo(Value(before, "pihub_auth_logins_total", ("result", "succeeded")) + 1));
        Assert.That(Value(after, "pihub_auth_logins_total", ("result", "failed")), Is.EqualTo(Value(before, "pihub_auth_logins_total", ("result", "failed")) + 1));
    }

    [Test]
    public async Task Scrape_AfterSnapshot_ReportsItsAge()
    {
        var admin = (IAuthStoreAdmin)Hub.Service<IAuthStore>();
        await admin.TakeSnapshotAsync();

        var families = await ScrapeAsync(Owner);

        Assert.That(families, Does.ContainKey("pihub_auth_store_snapshot_age_seconds"));
        Assert.That(Value(families, "pihub_auth_store_snapshot_age_seconds"), Is.InRange(0, 3600));
    }

    [Test]
    public async Task Scrape_WithoutToken_401WithMessageAndCode()
    {
        using var response = await Hub.Http.GetAsync(MetricsPath);
        var body = await TestHub.JsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(body["message"]!.GetValue<string>(), Is.Not.Empty);
        Assert.That(body["code"]!.GetValue<string>(), Is.Not.Empty);
    }

    [Test]
    public async Task Scrape_NonAdmin_403WithMessageAndCode()
    {
        await Hub.CreateUserAsync("Metrics Reader", "metricsreader");
        var token = (await Hub.Api.LoginAsync("metricsreader", HubApi.OwnerPassword))["access_token"]!.GetValue<string>();
        using var client = Hub.Client(token);

        using var response = await client.GetAsync(MetricsPath);
        var body = await TestHub.JsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(body["message"]!.GetValue<string>(), Does.Contain("administrator"));
        Assert.That(body["code"]!.GetValue<string>(), Is.Not.Empty);
    }
}
