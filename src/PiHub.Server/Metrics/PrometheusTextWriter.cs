using System.Globalization;
using System.Text;

namespace PiHub.Server.Metrics;

/// <summary>
/// Writes Prometheus' text exposition format, version 0.0.4: per metric family a <c># HELP</c> and a <c># TYPE</c>
/// line, then one <c>name{label="value",…} value</c> line per sample. Escapes label values and help text as the
/// format requires, and spells infinities and NaN the way Prometheus parses them.
/// </summary>
internal sealed class PrometheusTextWriter
{
    /// <summary>The content type a scrape answers with.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly StringBuilder _text = new(4096);

    /// <summary>Starts a metric family. <paramref name="type"/> is <c>counter</c>, <c>gauge</c> or <c>histogram</c>.</summary>
    public void WriteFamily(string name, string help, string type)
    {
        _text.Append("# HELP ").Append(name).Append(' ');
        foreach (var c in help)
        {
            _ = c switch
            {
                '\\' => _text.Append(@"\\"),
                '\n' => _text.Append(@"\n"),
                _ => _text.Append(c),
            };
        }

        _text.Append('\n').Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
    }

    /// <summary>
    /// One sample. <paramref name="labels"/> are name/value pairs; <paramref name="extraName"/> and
    /// <paramref name="extraValue"/> add one more label after them (a histogram bucket's <c>le</c>).
    /// </summary>
    public void WriteSample(string name, ReadOnlySpan<KeyValuePair<string, string>> labels, double value, string? extraName = null, string? extraValue = null)
    {
        _text.Append(name);
        if (labels.Length > 0 || extraName is not null)
        {
            _text.Append('{');
            var first = true;
            foreach (var (label, text) in labels)
            {
                AppendLabel(label, text, ref first);
            }

            if (extraName is not null) AppendLabel(extraName, extraValue ?? "", ref first);
            _text.Append('}');
        }

        _text.Append(' ').Append(Format(value)).Append('\n');
    }

    /// <summary>The exposition so far.</summary>
    public override string ToString() => _text.ToString();

    /// <summary>A sample value or a bucket bound as Prometheus reads it: <c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>, else round-trip digits.</summary>
    public static string Format(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>A metric or label name from an instrument's dotted name: anything outside <c>[a-zA-Z0-9_:]</c> becomes <c>_</c>.</summary>
    public static string SanitizeName(string name)
    {
        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            var c = chars[i];
            var ok = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_' or ':' || (i > 0 && c is >= '0' and <= '9');
            if (!ok) chars[i] = '_';
        }

        return new string(chars);
    }

    private void AppendLabel(string name, string value, ref bool first)
    {
        if (!first) _text.Append(',');
        first = false;
        _text.Append(name).Append("=\"");
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => _text.Append(@"\\"),
                '"' => _text.Append("\\\""),
                '\n' => _text.Append(@"\n"),
                _ => _text.Append(c),
            };
        }

        _text.Append('"');
    }
}
