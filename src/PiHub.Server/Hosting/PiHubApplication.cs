using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PiHub.Core.Auth.Storage;
using PiHub.Core.Hub;
using PiHub.Server.Api;
using PiHub.Server.Auth;
using PiHub.Server.Configuration;
using PiHub.Server.Endpoints;
using PiHub.Server.WebSockets;

namespace PiHub.Server.Hosting;

/// <summary>
/// The composition root: configuration, stores, hub core, auth and endpoints. Opening the stores
/// happens here, before Kestrel listens, so systemd's READY=1 means "the store is open".
/// </summary>
public static class PiHubApplication
{
    /// <summary>Builds the application; throws <see cref="ConfigException"/> or <see cref="AuthStoreException"/> with a clear message.</summary>
    public static WebApplication Build(string[] args, IReadOnlyDictionary<string, string?>? overrides = null, TimeProvider? time = null,
        Action<IServiceCollection>? configureServices = null)
    {
        var (configuration, options) = ConfigLoader.Load(args, overrides);
        time ??= TimeProvider.System;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddConfiguration(configuration);
        builder.Host.UseSystemd();
        // One line per request would cost more than serving it on a Pi; keep ASP.NET Core's own
        // logs to warnings (the "Now listening on" line comes from Microsoft.Hosting.Lifetime).
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.ConfigureKestrel(k => k.Listen(ListenAddress(options.Http.ServerHost), options.Http.ServerPort));
        }

        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            // Bodies over http.max_body_bytes get a 413 with a message; Kestrel only cuts off the absurd.
            k.Limits.MaxRequestBodySize = Math.Max(options.Http.MaxBodyBytes * 4L, 16 * 1024 * 1024);
        });

        Directory.CreateDirectory(options.Storage.DataDir);
        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(time);
        services.AddPiHubStorage(options);
        services.AddSingleton(sp => new HubCore(options.Hub, sp.GetRequiredService<IHubStore>(), options.InputBooleans, time, sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<WsRegistry>();
        services.AddSingleton(sp => new WsContext(
            sp.GetRequiredService<HubCore>(), sp.GetRequiredService<IApiAuthenticator>(), sp.GetRequiredService<WsRegistry>(),
            sp, sp.GetRequiredService<ILoggerFactory>().CreateLogger("PiHub.WebSocket")));
        services.AddSingleton<HubHealth>();
        services.AddHostedService<SystemdWatchdog>();
        services.AddPiHubAuth(trustedNetworks: options.TrustedNetworks.Select(n => n.ToCore()));
        services.AddPiHubSecurity(options);
        services.AddPiHubPower(options);
        configureServices?.Invoke(services); // tests: replace a seam, capture logs

        var app = builder.Build();
        StartUp(app, options);
        AuthWiring.WireAuthEvents(app);
        PowerWiring.StartPower(app, options);
        // Open WebSockets would otherwise hold the shutdown until systemd's stop timeout kills us.
        var sockets = app.Services.GetRequiredService<WsRegistry>();
        app.Lifetime.ApplicationStopping.Register(() => sockets.CloseAll("PiHub is shutting down; reconnect in a moment."));
        app.UseMiddleware<ForwardedForMiddleware>();
        app.UseMiddleware<BanMiddleware>();
        app.UseRateLimiter();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        app.MapOnboardingEndpoints();
        app.MapAuthEndpoints();
        app.MapRestEndpoints();
        app.MapWebhookEndpoints();
        app.MapWebSocketApi();
        app.MapPowerEndpoints();
        return app;
    }

    /// <summary>Opens the stores and the hub now, so errors surface before the service reports ready.</summary>
    private static void StartUp(WebApplication app, PiHubOptions options)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("PiHub");
        var store = app.Services.GetRequiredService<IAuthStore>();
        var hub = app.Services.GetRequiredService<HubCore>();
        logger.LogInformation("PiHub {Version} using {Source}; data in {DataDir}", options.Hub.Version, options.Source, options.Storage.DataDir);
        if (store.Recovery is { } recovery)
        {
            var text = recovery.Describe();
            logger.LogCritical("Auth store recovered at start-up: {Report}", text);
            hub.Notifications.CreateAsync(text, "PiHub recovered its user database", "auth_store_recovery").GetAwaiter().GetResult();
        }

        if (store.Current.Onboarding.RecoveryMode)
        {
            logger.LogWarning("Onboarding is open in recovery mode: creating the owner needs the one-time code in {Dir}/recovery-code.txt", options.Storage.DataDir);
        }
        else if (!store.Current.Onboarding.UserDone)
        {
            logger.LogInformation("No owner yet: open http://{Host}:{Port}/ to create one", options.Http.ServerHost == "0.0.0.0" ? "pihub.local" : options.Http.ServerHost, options.Http.ServerPort);
        }
    }

    private static IPAddress ListenAddress(string host) => host == "localhost" ? IPAddress.Loopback : IPAddress.Parse(host);
}
