using PiHub.Server.Metrics;

namespace PiHub.Server.Tests.Metrics;

public class PrometheusTextWriterTests
{
    [Test]
    public void WriteSample_LabelValueWithQuoteBackslashAndNewline_EscapedAndParsedBack()
    {
        var writer = new PrometheusTextWriter();
        writer.WriteFamily("x_total", "Help with \\ and\nnewline.", "counter");

        writer.WriteSample("x_total", [new("path", "a\"b\\c\nd")], 3);
        var families = PrometheusText.Parse(writer.ToString());

        Assert.That(writer.ToString(), Does.Contain("# HELP x_total Help with \\\\ and\\nnewline.\n"));
        Assert.That(families["x_total"].Samples.Single().Labels["path"], Is.EqualTo("a\"b\\c\nd"));
        Assert.That(families["x_total"].Samples.Single().Value, Is.EqualTo(3));
    }

    [TestCase(double.PositiveInfinity, "+Inf")]
    [TestCase(double.NegativeInfinity, "-Inf")]
    [TestCase(double.NaN, "NaN")]
    [TestCase(0.0025, "0.0025")]
    [TestCase(10.0, "10")]
    [TestCase(1e-7, "1E-07")]
    public void Format_Value_AsPrometheusReadsIt(double value, string expected) =>
        Assert.That(PrometheusTextWriter.Format(value), Is.EqualTo(expected));

    [TestCase("pihub.http.request.duration", "s", "histogram", "pihub_http_request_duration_seconds")]
    [TestCase("pihub.http.requests", null, "counter", "pihub_http_requests_total")]
    [TestCase("process.cpu", "s", "counter", "process_cpu_seconds_total")]
    [TestCase("process.resident_memory", "By", "gauge", "process_resident_memory_bytes")]
    [TestCase("9bad-name", null, "gauge", "_bad_name")]
    public void PrometheusName_Instrument_FollowsOpenTelemetryMapping(string name, string? unit, string type, string expected) =>
        Assert.That(MetricFamily.PrometheusName(name, unit, type), Is.EqualTo(expected));
}
