using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PiHub.Server.Tests.Metrics;

/// <summary>One sample line: <c>name{labels} value</c>.</summary>
internal sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>One metric family: its <c># HELP</c>, <c># TYPE</c> and samples.</summary>
internal sealed record PrometheusFamily(string Name, string Help, string Type, List<PrometheusSample> Samples);

/// <summary>
/// A strict parser of Prometheus' text format 0.0.4, as a scraper would read a PiHub scrape: every family has
/// <c># HELP</c> then <c># TYPE</c> before its samples, every sample belongs to the family just declared, no series
/// repeats, and every histogram's buckets rise in <c>le</c>, are cumulative and end in <c>+Inf</c> equal to <c>_count</c>.
/// Throws <see cref="FormatException"/> naming the line for anything else.
/// </summary>
internal static partial class PrometheusText
{
    private static readonly HashSet<string> s_types = ["counter", "gauge", "histogram", "summary", "untyped"];

    public static IReadOnlyDictionary<string, PrometheusFamily> Parse(string text)
    {
        if (text.Length == 0 || !text.EndsWith('\n')) throw new FormatException("The exposition must end with a line feed.");
        var families = new Dictionary<string, PrometheusFamily>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? helpFor = null;
        string? helpText = null;
        PrometheusFamily? current = null;
        var lines = text[..^1].Split('\n');
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n];
            string Where() => $"line {n + 1} \"{line}\"";
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                var rest = line["# HELP ".Length..];
                var space = rest.IndexOf(' ', StringComparison.Ordinal);
                if (space <= 0) throw new FormatException($"HELP without text at {Where()}");
                helpFor = rest[..space];
                helpText = rest[(space + 1)..];
                if (!MetricName().IsMatch(helpFor)) throw new FormatException($"Bad metric name at {Where()}");
                if (families.ContainsKey(helpFor)) throw new FormatException($"Family {helpFor} declared twice at {Where()}");
                continue;
            }

            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                if (parts.Length != 4 || !s_types.Contains(parts[3])) throw new FormatException($"Bad TYPE at {Where()}");
                if (parts[2] != helpFor) throw new FormatException($"TYPE without the family's HELP just before it at {Where()}");
                current = new PrometheusFamily(parts[2], helpText!, parts[3], []);
                families.Add(current.Name, current);
                helpFor = null;
                continue;
            }

            if (line.StartsWith('#') || line.Length == 0) throw new FormatException($"Unexpected comment or blank line at {Where()}");
            var sample = ParseSample(line) ?? throw new FormatException($"Not a sample line at {Where()}");
            if (current is null || FamilyOf(sample.Name, current) is null)
            {
                throw new FormatException($"Sample outside its family (every sample follows its family's HELP and TYPE) at {Where()}");
            }

            var key = sample.Name + "{" + string.Join(",", sample.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")) + "}";
            if (!seen.Add(key)) throw new FormatException($"Series {key} repeated at {Where()}");
            current.Samples.Add(sample);
        }

        foreach (var f in families.Values)
        {
            if (f.Samples.Count == 0) throw new FormatException($"Family {f.Name} has no samples.");
            if (f.Type == "histogram") CheckHistogram(f);
        }

        return families;
    }

    private static string? FamilyOf(string sampleName, PrometheusFamily family)
    {
        if (sampleName == family.Name && family.Type != "histogram") return family.Name;
        if (family.Type == "histogram" && (sampleName == family.Name + "_bucket" || sampleName == family.Name + "_sum" || sampleName == family.Name + "_count"))
        {
            return family.Name;
        }

        return null;
    }

    private static void CheckHistogram(PrometheusFamily family)
    {
        var groups = family.Samples.GroupBy(s => string.Join(",", s.Labels.Where(l => l.Key != "le").OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")));
        foreach (var series in groups)
        {
            var buckets = series.Where(s => s.Name.EndsWith("_bucket", StringComparison.Ordinal)).ToList();
            var count = series.SingleOrDefault(s => s.Name.EndsWith("_count", StringComparison.Ordinal))
                ?? throw new FormatException($"{family.Name}{{{series.Key}}} has no _count.");
            _ = series.SingleOrDefault(s => s.Name.EndsWith("_sum", StringComparison.Ordinal)) ?? throw new FormatException($"{family.Name}{{{series.Key}}} has no _sum.");
            if (buckets.Count == 0) throw new FormatException($"{family.Name}{{{series.Key}}} has no buckets.");
            var previousLe = double.NegativeInfinity;
            var previousCount = 0.0;
            foreach (var b in buckets)
            {
                if (!b.Labels.TryGetValue("le", out var leText)) throw new FormatException($"A bucket of {family.Name} has no le label.");
                var le = ParseValue(leText) ?? throw new FormatException($"Bad le \"{leText}\" in {family.Name}.");
                if (le <= previousLe) throw new FormatException($"Buckets of {family.Name}{{{series.Key}}} do not rise in le ({leText}).");
                if (b.Value < previousCount) throw new FormatException($"Buckets of {family.Name}{{{series.Key}}} are not cumulative at le={leText}.");
                previousLe = le;
                previousCount = b.Value;
            }

            if (!double.IsPositiveInfinity(previousLe)) throw new FormatException($"Buckets of {family.Name}{{{series.Key}}} do not end in le=\"+Inf\".");
            if (previousCount != count.Value) throw new FormatException($"{family.Name}{{{series.Key}}}: +Inf bucket {previousCount} differs from _count {count.Value}.");
        }
    }

    private static PrometheusSample? ParseSample(string line)
    {
        var m = SampleLine().Match(line);
        if (!m.Success) return null;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (m.Groups[2].Success && !ParseLabels(m.Groups[2].Value, labels)) return null;
        return ParseValue(m.Groups[3].Value) is { } value ? new PrometheusSample(m.Groups[1].Value, labels, value) : null;
    }

    /// <summary><c>a="x",b="y\"z"</c>: names as the format allows, values with only <c>\\</c>, <c>\"</c> and <c>\n</c> escapes.</summary>
    private static bool ParseLabels(string text, Dictionary<string, string> labels)
    {
        var i = 0;
        while (i < text.Length)
        {
            var eq = text.IndexOf('=', i);
            if (eq < 0) return false;
            var name = text[i..eq];
            if (!LabelName().IsMatch(name) || eq + 1 >= text.Length || text[eq + 1] != '"') return false;
            var value = new StringBuilder();
            var j = eq + 2;
            for (; j < text.Length && text[j] != '"'; j++)
            {
                if (text[j] != '\\') { value.Append(text[j]); continue; }
                if (++j >= text.Length) return false;
                value.Append(text[j] switch { '\\' => '\\', '"' => '"', 'n' => '\n', _ => '\0' });
                if (value[^1] == '\0') return false;
            }

            if (j >= text.Length || !labels.TryAdd(name, value.ToString())) return false;
            i = j + 1;
            if (i < text.Length && text[i++] != ',') return false;
        }

        return labels.Count > 0;
    }

    private static double? ParseValue(string text) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null,
    };

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex MetricName();

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex LabelName();

    [GeneratedRegex("""^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$""")]
    private static partial Regex SampleLine();
}
