using System.Text;
using System.Text.Json;

namespace PiHub.Testing;

/// <summary>
/// Figures of the <c>[Explicit]</c> Bench tests for scripts/bench.sh. Each call appends one JSON line,
/// <c>{"variant":"pihub-store","figures":{"commit_durable_p50_ms":2.05}}</c>, to the file the
/// <c>PIHUB_BENCH_JSON</c> environment variable names (scripts/lib/bench-dotnet.sh sets it), so the
/// script reads the figures as the test measured them instead of scraping its output. Without the
/// variable (a benchmark run from an IDE) nothing is written; the test's own output still shows them.
/// </summary>
public static class BenchFigures
{
    /// <summary>The environment variable naming the JSON-lines file the figures are appended to.</summary>
    public const string Variable = "PIHUB_BENCH_JSON";

    private static readonly Lock s_gate = new();

    /// <summary>Appends <paramref name="figures"/> (figure name, value) of <paramref name="variant"/>.</summary>
    public static void Write(string variant, params (string Key, double Value)[] figures)
    {
        var file = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(file)) return;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("variant", variant);
            json.WriteStartObject("figures");
            foreach (var (key, value) in figures) json.WriteNumber(key, value);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        var line = Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
        lock (s_gate) File.AppendAllText(file, line);
    }
}
