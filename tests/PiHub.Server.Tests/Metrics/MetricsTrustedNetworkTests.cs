using System.Net;
using PiHub.Server.Tests.Infrastructure;
using static PiHub.Server.Tests.Metrics.MetricsScrape;

namespace PiHub.Server.Tests.Metrics;

/// <summary>A Prometheus on a trusted network with <c>allow_api_without_token</c> scrapes without a token; elsewhere a token is still needed.</summary>
public class MetricsTrustedNetworkTests() : OnboardedHubTests(HubLifetime.PerFixture)
{
    protected override Dictionary<string, string?> Settings() => HubSettings.TrustedNetwork("127.0.0.2/32", ["owner"], api: true);

    [Test]
    public async Task Scrape_FromTrustedNetworkWithoutToken_Succeeds()
    {
        using var client = Hub.ClientFrom("127.0.0.2");

        var families = await ScrapeAsync(client);

        Assert.That(families, Does.ContainKey("pihub_http_requests_total"));
    }

    [Test]
    public async Task Scrape_FromOutsideTrustedNetworkWithoutToken_401()
    {
        using var client = Hub.ClientFrom("127.0.0.3");

        using var response = await client.GetAsync(MetricsPath);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }
}
