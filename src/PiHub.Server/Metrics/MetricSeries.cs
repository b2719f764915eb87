namespace PiHub.Server.Metrics;

/// <summary>
/// One labelled series of a <see cref="MetricFamily"/>: a running sum, a last value, or fixed histogram buckets.
/// Updates are lock-free (one <see cref="Interlocked"/> operation per bucket and per total), so recording a
/// fan-out delivery from many sockets' send loops at once neither allocates nor waits.
/// </summary>
internal sealed class MetricSeries
{
    private readonly double[]? _bounds;
    private readonly long[]? _buckets;
    private double _value;

    public MetricSeries(KeyValuePair<string, object?>[] tags, KeyValuePair<string, string>[] labels, double[]? bounds)
    {
        Tags = tags;
        Labels = labels;
        _bounds = bounds;
        if (bounds is not null) _buckets = new long[bounds.Length + 1];
    }

    /// <summary>The tags as recorded (compared on lookup).</summary>
    public KeyValuePair<string, object?>[] Tags { get; }

    /// <summary>The tags as Prometheus labels.</summary>
    public KeyValuePair<string, string>[] Labels { get; }

    /// <summary>True once the series has had a value (gauges are cleared before each scrape's observation).</summary>
    public bool HasValue { get; private set; }

    /// <summary>The sum (counters, up-down counters), the last value (gauges) or the histogram's sum.</summary>
    public double Value => Volatile.Read(ref _value);

    public void Add(double value)
    {
        AddDouble(ref _value, value);
        HasValue = true;
    }

    public void Set(double value)
    {
        Volatile.Write(ref _value, value);
        HasValue = true;
    }

    public void Clear() => HasValue = false;

    /// <summary>Counts <paramref name="value"/> in the first bucket whose upper bound it does not exceed (<c>le</c>).</summary>
    public void Observe(double value)
    {
        var bounds = _bounds!;
        var i = 0;
        while (i < bounds.Length && value > bounds[i]) i++;
        Interlocked.Increment(ref _buckets![i]);
        AddDouble(ref _value, value);
        HasValue = true;
    }

    /// <summary>Each bucket's own count (not cumulative); the last is the overflow above every bound.</summary>
    public long[] SnapshotBuckets()
    {
        var copy = new long[_buckets!.Length];
        for (var i = 0; i < copy.Length; i++) copy[i] = Interlocked.Read(ref _buckets[i]);
        return copy;
    }

    /// <summary>True when this series was recorded with exactly these tags (same keys and values, same order).</summary>
    public bool Matches(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length != Tags.Length) return false;
        for (var i = 0; i < tags.Length; i++)
        {
            if (!string.Equals(tags[i].Key, Tags[i].Key, StringComparison.Ordinal) || !Equals(tags[i].Value, Tags[i].Value)) return false;
        }

        return true;
    }

    private static void AddDouble(ref double target, double value)
    {
        var current = Volatile.Read(ref target);
        while (true)
        {
            var seen = Interlocked.CompareExchange(ref target, current + value, current);
            if (seen.Equals(current)) return;
            current = seen;
        }
    }
}
