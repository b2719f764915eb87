using System.Diagnostics.Metrics;

namespace PiHub.Server.Metrics;

/// <summary>
/// Listens to the <c>PiHub</c> meter of this application and keeps what a scrape shows: sums, last values and
/// fixed-bucket histograms (<see cref="MetricFamily"/>). Observable instruments (clients, bans, process figures)
/// are read when a scrape asks, not on a timer.
/// </summary>
internal sealed class MetricsCollector : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<MetricFamily> _families = [];
    private readonly Lock _gate = new();
    private readonly Lock _scrape = new();

    public MetricsCollector(HubInstruments instruments)
    {
        var meter = instruments.Meter;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (!ReferenceEquals(instrument.Meter, meter)) return;
            var family = new MetricFamily(instrument);
            lock (_gate)
            {
                _families.Add(family);
            }

            listener.EnableMeasurementEvents(instrument, family);
        };
        _listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) => ((MetricFamily)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>(static (_, value, tags, state) => ((MetricFamily)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<double>(static (_, value, tags, state) => ((MetricFamily)state!).Record(value, tags));
        _listener.Start();
    }

    /// <summary>Reads the observable instruments, then writes every family that has a sample, in the order the instruments were created.</summary>
    public string Scrape()
    {
        lock (_scrape)
        {
            MetricFamily[] families;
            lock (_gate)
            {
                families = [.. _families];
            }

            foreach (var f in families)
            {
                if (f.IsObservable) f.ClearLastValues();
            }

            _listener.RecordObservableInstruments();
            var writer = new PrometheusTextWriter();
            foreach (var f in families) f.WriteTo(writer);
            return writer.ToString();
        }
    }

    public void Dispose() => _listener.Dispose();
}
