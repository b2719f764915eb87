using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using PiHub.Server.Metrics;
using static PiHub.Server.Tests.Metrics.MetricsScrape;

namespace PiHub.Server.Tests.Metrics;

public class MetricsCollectorTests
{
    private ServiceProvider _services = null!;
    private HubInstruments _instruments = null!;
    private MetricsCollector _collector = null!;

    [SetUp]
    public void SetUp()
    {
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        _instruments = new HubInstruments(_services.GetRequiredService<IMeterFactory>());
        _collector = new MetricsCollector(_instruments);
    }

    [TearDown]
    public void TearDown()
    {
        _collector.Dispose();
        _services.Dispose();
    }

    [Test]
    public void Scrape_DeliveriesOnABucketBound_CountedInThatBucket()
    {
        var now = Stopwatch.GetTimestamp();
        _instruments.RecordDelivery(now - Stopwatch.Frequency * 3 / 1000, now); // 3 ms: on the le="0.003" bound
        _instruments.RecordDelivery(now - Stopwatch.Frequency * 20, now); // 20 s: above every bound

        var families = PrometheusText.Parse(_collector.Scrape());

        Assert.That(Value(families, "pihub_fanout_delivery_duration_seconds_bucket", ("le", "0.002")), Is.Zero);
        Assert.That(Value(families, "pihub_fanout_delivery_duration_seconds_bucket", ("le", "0.003")), Is.EqualTo(1));
        Assert.That(Value(families, "pihub_fanout_delivery_duration_seconds_bucket", ("le", "10")), Is.EqualTo(1));
        Assert.That(Value(families, "pihub_fanout_delivery_duration_seconds_bucket", ("le", "+Inf")), Is.EqualTo(2));
        Assert.That(Value(families, "pihub_fanout_delivery_duration_seconds_sum"), Is.EqualTo(20.003).Within(0.001));
    }

    [Test]
    public void Scrape_NothingRecorded_WritesNoFamily() =>
        Assert.That(_collector.Scrape(), Is.Empty, "a family without samples is left out, not written with HELP and TYPE alone");

    [Test]
    public void Scrape_TwoCollectorsOfTwoHubs_SeeOnlyTheirOwnMeter()
    {
        using var other = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var otherInstruments = new HubInstruments(other.GetRequiredService<IMeterFactory>());

        otherInstruments.RecordLogin(succeeded: true);
        _instruments.RecordLogin(succeeded: false);
        var families = PrometheusText.Parse(_collector.Scrape());

        Assert.That(Value(families, "pihub_auth_logins_total", ("result", "failed")), Is.EqualTo(1));
        Assert.That(Value(families, "pihub_auth_logins_total", ("result", "succeeded")), Is.Zero);
    }

    [Test]
    public void RecordDelivery_AfterTheFirst_AllocatesNothing()
    {
        var now = Stopwatch.GetTimestamp();
        _instruments.RecordDelivery(now - 1000, now); // creates the series once

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++) _instruments.RecordDelivery(now - i, now);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(allocated, Is.Zero);
    }
}
