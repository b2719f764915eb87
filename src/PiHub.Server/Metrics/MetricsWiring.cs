using Microsoft.AspNetCore.Builder;
using PiHub.Core.Auth;
using PiHub.Core.Auth.Bans;
using PiHub.Core.Auth.Storage;
using PiHub.Server.WebSockets;

namespace PiHub.Server.Metrics;

/// <summary>
/// The metrics endpoint and what feeds it: the <c>PiHub</c> meter (<see cref="HubInstruments"/>), the in-process
/// collector, request timing, login counts and the gauges read at scrape time.
/// </summary>
internal static class MetricsWiring
{
    /// <summary>Registers the meter's instruments and the collector that listens to them.</summary>
    public static IServiceCollection AddPiHubMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.AddSingleton<HubInstruments>();
        services.AddSingleton<MetricsCollector>();
        return services;
    }

    /// <summary>
    /// Times every request (first in the pipeline, so refused and banned requests count too), counts logins,
    /// registers the scrape-time gauges and maps <c>GET /api/pihub/metrics</c>.
    /// </summary>
    public static WebApplication UsePiHubMetrics(this WebApplication app)
    {
        var services = app.Services;
        var instruments = services.GetRequiredService<HubInstruments>();
        _ = services.GetRequiredService<MetricsCollector>(); // listening from now on
        instruments.StartAtZero();
        var auth = services.GetRequiredService<AuthManager>();
        auth.LoginFailed += _ => instruments.RecordLogin(succeeded: false);
        auth.LoginSucceeded += _ => instruments.RecordLogin(succeeded: true);
        HubGauges.Register(instruments.Meter, services.GetRequiredService<WsRegistry>(), services.GetRequiredService<BanManager>(),
            services.GetRequiredService<IAuthStore>(), services.GetRequiredService<TimeProvider>());
        app.UseMiddleware<HttpMetricsMiddleware>();
        app.MapMetricsEndpoints();
        return app;
    }
}
