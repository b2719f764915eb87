using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PiHub.Server.Auth;

namespace PiHub.Server.Metrics;

/// <summary>Maps <c>GET /api/pihub/metrics</c>: the hub's figures in Prometheus' text format, for admins (or a trusted network allowed the API without a token).</summary>
internal static class MetricsEndpoints
{
    /// <summary>The scrape path.</summary>
    public const string Path = "/api/pihub/metrics";

    public static IEndpointRouteBuilder MapMetricsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/pihub").RequireApiUser()
            .MapGet("/metrics", static (MetricsCollector collector) => Results.Text(collector.Scrape(), PrometheusTextWriter.ContentType))
            .RequireAdmin();
        return app;
    }
}
