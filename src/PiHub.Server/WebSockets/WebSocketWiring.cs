using Microsoft.AspNetCore.Builder;
using PiHub.Server.Auth;

namespace PiHub.Server.WebSockets;

/// <summary>The WebSocket API: the registry of open connections and what each connection needs.</summary>
internal static class WebSocketWiring
{
    /// <summary>Registers <see cref="WsRegistry"/> and <see cref="WsContext"/>.</summary>
    public static IServiceCollection AddPiHubWebSockets(this IServiceCollection services)
    {
        services.AddSingleton<WsRegistry>();
        services.AddSingleton(sp => new WsContext(
            sp.GetRequiredService<Core.Hub.HubCore>(), sp.GetRequiredService<Core.Auth.AuthManager>(), sp.GetRequiredService<IApiAuthenticator>(), sp.GetRequiredService<WsRegistry>(),
            sp, sp.GetRequiredService<ILoggerFactory>().CreateLogger("PiHub.WebSocket")));
        return services;
    }

    /// <summary>Accepts WebSocket upgrades (with keep-alive pings) and closes every socket cleanly at shutdown.</summary>
    public static WebApplication UsePiHubWebSockets(this WebApplication app)
    {
        // Open WebSockets would otherwise hold the shutdown until systemd's stop timeout kills us.
        var sockets = app.Services.GetRequiredService<WsRegistry>();
        app.Lifetime.ApplicationStopping.Register(() => sockets.CloseAll("PiHub is shutting down; reconnect in a moment."));
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        return app;
    }
}
