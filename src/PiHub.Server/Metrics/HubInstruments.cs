using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace PiHub.Server.Metrics;

/// <summary>
/// The <c>PiHub</c> meter and the instruments the hub records into. The meter comes from the application's
/// <see cref="IMeterFactory"/>, so two hubs in one process (the in-process tests) never see each other's figures.
/// </summary>
internal sealed class HubInstruments
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "PiHub";

    /// <summary>
    /// Fan-out buckets (seconds): fine between 0.1 and 100 ms, where the targets sit (p99 ≤ 3 ms at 100 clients,
    /// ≤ 25 ms at 1,000), so quantiles read from them are close; coarse above.
    /// </summary>
    public static readonly double[] FanoutBounds =
        [0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.025, 0.035, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private static readonly string[] s_statusClasses = ["1xx", "2xx", "3xx", "4xx", "5xx"];

    private readonly Counter<long> _requests;
    private readonly Histogram<double> _requestDuration;
    private readonly Histogram<double> _fanoutDelay;
    private readonly Counter<long> _deliveries;
    private readonly Counter<long> _logins;
    private readonly Histogram<double> _authCommit;

    public HubInstruments(IMeterFactory factory)
    {
        Meter = factory.Create(MeterName);
        _requests = Meter.CreateCounter<long>("pihub.http.requests", null,
            "HTTP requests answered, by route group (api, auth, websocket, webhook, dashboard, other) and status class.");
        _requestDuration = Meter.CreateHistogram<double>("pihub.http.request.duration", "s",
            "Time to answer an HTTP request, by route group (WebSocket upgrades left out: their time is the connection's life).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = MetricFamily.DefaultBounds });
        _fanoutDelay = Meter.CreateHistogram<double>("pihub.fanout.delivery.duration", "s",
            "From an event being raised (a state change committed) to its frame being handed to a subscriber's WebSocket.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = FanoutBounds });
        _deliveries = Meter.CreateCounter<long>("pihub.fanout.deliveries", null, "Event messages handed to subscribers' WebSockets.");
        _logins = Meter.CreateCounter<long>("pihub.auth.logins", null, "Completed logins (result=succeeded) and refused login or token requests (result=failed: wrong password, bad code or token).");
        _authCommit = Meter.CreateHistogram<double>("pihub.auth.store.commit.duration", "s",
            "Time to validate, write and flush one auth-store change (successful commits).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = MetricFamily.DefaultBounds });
    }

    /// <summary>The meter, for the observable instruments registered elsewhere and the collector.</summary>
    public Meter Meter { get; }

    /// <summary>One answered HTTP request; <paramref name="elapsed"/> null leaves it out of the duration histogram.</summary>
    public void RecordRequest(string group, int status, TimeSpan? elapsed)
    {
        var statusClass = status is >= 100 and < 600 ? s_statusClasses[(status / 100) - 1] : "5xx";
        _requests.Add(1, new KeyValuePair<string, object?>("group", group), new KeyValuePair<string, object?>("status", statusClass));
        if (elapsed is { } e) _requestDuration.Record(e.TotalSeconds, new KeyValuePair<string, object?>("group", group));
    }

    /// <summary>Records one delivered event raised at <paramref name="raisedAt"/> (<see cref="Stopwatch"/> ticks), as of <paramref name="now"/>. Allocation-free.</summary>
    public void RecordDelivery(long raisedAt, long now) => _fanoutDelay.Record(Stopwatch.GetElapsedTime(raisedAt, now).TotalSeconds);

    /// <summary>Counts delivered event messages (once per frame, however many it carries).</summary>
    public void CountDeliveries(int count) => _deliveries.Add(count);

    /// <summary>
    /// Puts the counters whose series are known in advance on the page at 0, once the collector listens: a
    /// Prometheus rate or alert over failed logins reads 0 from the start instead of "no data" until the first one.
    /// </summary>
    public void StartAtZero()
    {
        _logins.Add(0, new KeyValuePair<string, object?>("result", "succeeded"));
        _logins.Add(0, new KeyValuePair<string, object?>("result", "failed"));
        _deliveries.Add(0);
    }

    public void RecordLogin(bool succeeded) =>
        _logins.Add(1, new KeyValuePair<string, object?>("result", succeeded ? "succeeded" : "failed"));

    public void RecordAuthCommit(TimeSpan elapsed) => _authCommit.Record(elapsed.TotalSeconds);
}
