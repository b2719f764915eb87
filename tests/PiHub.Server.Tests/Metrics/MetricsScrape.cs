namespace PiHub.Server.Tests.Metrics;

/// <summary>Scrapes <c>/api/pihub/metrics</c> as Prometheus would and reads figures from the parsed families.</summary>
internal static class MetricsScrape
{
    public const string MetricsPath = "api/pihub/metrics";

    /// <summary>GETs the endpoint, checks the answer is 200 in text format 0.0.4, and parses it strictly.</summary>
    public static async Task<IReadOnlyDictionary<string, PrometheusFamily>> ScrapeAsync(HttpClient client)
    {
        using var response = await client.GetAsync(MetricsPath);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), text);
        Assert.That(response.Content.Headers.ContentType?.ToString(), Does.StartWith("text/plain").And.Contain("version=0.0.4"));
        return PrometheusText.Parse(text);
    }

    /// <summary>The value of the sample <paramref name="name"/> whose labels include <paramref name="labels"/>; 0 when absent.</summary>
    public static double Value(IReadOnlyDictionary<string, PrometheusFamily> families, string name, params (string Key, string Value)[] labels) =>
        families.Values.SelectMany(f => f.Samples)
            .Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value))
            .Select(s => s.Value)
            .DefaultIfEmpty(0)
            .Sum();
}
