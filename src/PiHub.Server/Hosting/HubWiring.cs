using PiHub.Core.Hub;
using PiHub.Configuration;

namespace PiHub.Server.Hosting;

/// <summary>The hub core (states, events, services) and the systemd watchdog that checks its health.</summary>
internal static class HubWiring
{
    /// <summary>Registers <see cref="HubCore"/> over the registered <see cref="IHubStore"/> and clock.</summary>
    public static IServiceCollection AddPiHubCore(this IServiceCollection services, PiHubOptions options)
    {
        services.AddSingleton(sp => new HubCore(
            options.Hub, sp.GetRequiredService<IHubStore>(), options.InputBooleans, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
        return services;
    }

    /// <summary>Registers the health check and the watchdog that reports it to systemd (a no-op outside systemd).</summary>
    public static IServiceCollection AddPiHubWatchdog(this IServiceCollection services)
    {
        services.AddSingleton<HubHealth>();
        services.AddHostedService<SystemdWatchdog>();
        return services;
    }
}
