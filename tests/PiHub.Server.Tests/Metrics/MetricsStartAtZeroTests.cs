using PiHub.Server.Tests.Infrastructure;
using static PiHub.Server.Tests.Metrics.MetricsScrape;

namespace PiHub.Server.Tests.Metrics;

/// <summary>
/// A fresh hub's first scrape already lists the login and delivery counters at 0. They used to appear only after
/// the first failed login or the first delivery, so a Prometheus rate or alert over them read "no data" until then.
/// </summary>
public class MetricsStartAtZeroTests() : OnboardedHubTests(HubLifetime.PerFixture)
{
    [Test]
    public async Task FirstScrape_FailedLoginsAndDeliveriesListedAtZero()
    {
        var families = await ScrapeAsync(Owner);

        Assert.That(families, Does.ContainKey("pihub_auth_logins_total"));
        var logins = families["pihub_auth_logins_total"];
        Assert.That(logins.Type, Is.EqualTo("counter"));
        Assert.That(logins.Samples.Select(s => s.Labels["result"]), Is.SupersetOf(new[] { "succeeded", "failed" }));
        Assert.That(logins.Samples.Single(s => s.Labels["result"] == "failed").Value, Is.Zero, "no login has failed on this hub");
        Assert.That(families, Does.ContainKey("pihub_fanout_deliveries_total"));
        Assert.That(families["pihub_fanout_deliveries_total"].Samples.Single().Value, Is.Zero, "nothing subscribed yet");
    }
}
