using System.Diagnostics.Metrics;
using System.Globalization;

namespace PiHub.Server.Metrics;

/// <summary>
/// What the collector keeps of one instrument: its Prometheus name, help and type, and a series per tag set.
/// Tag sets are few and fixed (route groups, status classes, login results), so a series is found by a short
/// scan; the untagged series — the fan-out histogram's — is a field, found without a lock.
/// </summary>
internal sealed class MetricFamily
{
    /// <summary>Buckets (seconds) for a histogram whose instrument gives none: 0.1 ms to 10 s.</summary>
    public static readonly double[] DefaultBounds = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly List<MetricSeries> _series = [];
    private readonly Lock _gate = new();
    private volatile MetricSeries? _untagged;

    public MetricFamily(Instrument instrument)
    {
        var type = instrument.GetType();
        var generic = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        (Kind, Type) = generic switch
        {
            _ when generic == typeof(Counter<>) => (SeriesKind.Sum, "counter"),
            _ when generic == typeof(UpDownCounter<>) => (SeriesKind.Sum, "gauge"),
            _ when generic == typeof(Histogram<>) => (SeriesKind.Histogram, "histogram"),
            _ when generic == typeof(ObservableCounter<>) => (SeriesKind.LastValue, "counter"),
            _ => (SeriesKind.LastValue, "gauge"), // Gauge<T>, ObservableGauge<T>, ObservableUpDownCounter<T>
        };
        IsObservable = instrument.IsObservable;
        Name = PrometheusName(instrument.Name, instrument.Unit, Type);
        Help = instrument.Description ?? instrument.Name;
        if (Kind == SeriesKind.Histogram)
        {
            Bounds = (instrument as Histogram<double>)?.Advice?.HistogramBucketBoundaries?.ToArray() ?? DefaultBounds;
        }
    }

    public string Name { get; }

    public string Help { get; }

    /// <summary><c>counter</c>, <c>gauge</c> or <c>histogram</c>.</summary>
    public string Type { get; }

    public SeriesKind Kind { get; }

    public bool IsObservable { get; }

    public double[]? Bounds { get; }

    /// <summary>Records one measurement (from the listener's callback; any thread).</summary>
    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var series = tags.IsEmpty ? _untagged ?? Untagged() : Find(tags);
        switch (Kind)
        {
            case SeriesKind.Sum: series.Add(value); break;
            case SeriesKind.LastValue: series.Set(value); break;
            default: series.Observe(value); break;
        }
    }

    /// <summary>Forgets last values before observable instruments report afresh: a gauge nobody reports is left out.</summary>
    public void ClearLastValues()
    {
        if (Kind != SeriesKind.LastValue) return;
        lock (_gate)
        {
            foreach (var s in _series) s.Clear();
        }
    }

    /// <summary>Writes the family, or nothing when it has no sample yet.</summary>
    public void WriteTo(PrometheusTextWriter writer)
    {
        MetricSeries[] series;
        lock (_gate)
        {
            series = [.. _series.Where(s => s.HasValue)];
        }

        if (series.Length == 0) return;
        writer.WriteFamily(Name, Help, Type);
        foreach (var s in series)
        {
            if (Kind != SeriesKind.Histogram)
            {
                writer.WriteSample(Name, s.Labels, s.Value);
                continue;
            }

            // _count is the sum of the same bucket snapshot, so +Inf always equals it even mid-update.
            var buckets = s.SnapshotBuckets();
            long cumulative = 0;
            for (var i = 0; i < Bounds!.Length; i++)
            {
                cumulative += buckets[i];
                writer.WriteSample(Name + "_bucket", s.Labels, cumulative, "le", PrometheusTextWriter.Format(Bounds[i]));
            }

            cumulative += buckets[^1];
            writer.WriteSample(Name + "_bucket", s.Labels, cumulative, "le", "+Inf");
            writer.WriteSample(Name + "_sum", s.Labels, s.Value);
            writer.WriteSample(Name + "_count", s.Labels, cumulative);
        }
    }

    /// <summary>
    /// OpenTelemetry's mapping to Prometheus: dots become underscores, the unit a suffix (<c>s</c> → <c>_seconds</c>,
    /// <c>By</c> → <c>_bytes</c>), and counters end in <c>_total</c>.
    /// </summary>
    internal static string PrometheusName(string name, string? unit, string type)
    {
        var result = PrometheusTextWriter.SanitizeName(name);
        var suffix = unit switch
        {
            "s" => "_seconds",
            "By" => "_bytes",
            _ => "",
        };
        if (suffix.Length > 0 && !result.EndsWith(suffix, StringComparison.Ordinal)) result += suffix;
        if (type == "counter" && !result.EndsWith("_total", StringComparison.Ordinal)) result += "_total";
        return result;
    }

    private MetricSeries Untagged()
    {
        lock (_gate)
        {
            if (_untagged is null)
            {
                _untagged = new MetricSeries([], [], Bounds);
                _series.Add(_untagged);
            }

            return _untagged;
        }
    }

    private MetricSeries Find(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        lock (_gate)
        {
            foreach (var s in _series)
            {
                if (s.Matches(tags)) return s;
            }

            var copy = tags.ToArray();
            var labels = new KeyValuePair<string, string>[copy.Length];
            for (var i = 0; i < copy.Length; i++)
            {
                labels[i] = new(PrometheusTextWriter.SanitizeName(copy[i].Key), Convert.ToString(copy[i].Value, CultureInfo.InvariantCulture) ?? "");
            }

            var created = new MetricSeries(copy, labels, Bounds);
            _series.Add(created);
            return created;
        }
    }
}

/// <summary>How a series aggregates its measurements.</summary>
internal enum SeriesKind
{
    /// <summary>Adds every measurement (counters, up-down counters).</summary>
    Sum,

    /// <summary>Keeps the last measurement (gauges, and observable counters, which report their running total).</summary>
    LastValue,

    /// <summary>Counts measurements into fixed buckets, with their sum.</summary>
    Histogram,
}
