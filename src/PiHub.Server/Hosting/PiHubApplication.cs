using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PiHub.Core.Auth.Storage;
using PiHub.Core.Hub;
using PiHub.Server.AdminSocket;
using PiHub.Server.Auth;
using PiHub.Configuration;
using PiHub.Server.Dashboard;
using PiHub.Server.Endpoints;
using PiHub.Server.Http;
using PiHub.Server.Metrics;
using PiHub.Server.Power;
using PiHub.Server.WebSockets;
using PiHub.Storage.Durability;
using PiHub.Server.History;
using PiHub.Server.Webhooks;

namespace PiHub.Server.Hosting;

/// <summary>
/// The composition root: configuration, stores, hub core, auth and endpoints. Opening the stores
/// happens here, before Kestrel listens, so systemd's READY=1 means "the store is open".
/// </summary>
public static class PiHubApplication
{
    /// <summary>Builds the application; throws <see cref="ConfigException"/> or <see cref="AuthStoreException"/> with a clear message.</summary>
    public static WebApplication Build(string[] args, IReadOnlyDictionary<string, string?>? overrides = null, TimeProvider? time = null) =>
        Build(args, overrides, time, testServices: null);

    /// <summary>
    /// For in-process tests only (no config key or flag reaches it): <paramref name="testServices"/> runs
    /// after every registration, so a registration it adds replaces the application's — the test harness
    /// uses it for a cheap <c>PasswordHasher</c> and for a store that fails on demand.
    /// </summary>
    internal static WebApplication Build(string[] args, IReadOnlyDictionary<string, string?>? overrides, TimeProvider? time,
        Action<IServiceCollection>? testServices)
    {
        var (configuration, options) = ConfigLoader.Load(args, overrides);
        var builder = WebApplication.CreateSlimBuilder(SlimHostOptions.For(args));
        builder.Configuration.AddConfiguration(configuration);
        builder.Host.UseSystemd();
        // One line per request would cost more than serving it on a Pi; keep ASP.NET Core's own
        // logs to warnings (the "Now listening on" line comes from Microsoft.Hosting.Lifetime).
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.WebHost.ConfigurePiHubKestrel(builder.Configuration, options);

        var tightened = PrivateFiles.Secure(options.Storage.DataDir);
        builder.Services
            .AddSingleton(options)
            .AddSingleton(time ?? TimeProvider.System)
            .AddPiHubStorage(options)
            .AddPiHubCore(options)
            .AddPiHubAuth(options)
            .AddPiHubHttp()
            .AddPiHubWebSockets()
            .AddPiHubRecorder(options)
            .AddPiHubWatchdog()
            .AddPiHubAdminSocket(options)
            .AddPiHubMetrics()
            .AddPiHubPower(options)
            .AddPiHubRegistries();
        testServices?.Invoke(builder.Services);

        var app = builder.Build();
        PrivateFiles.LogTightened(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("PiHub.Storage"), options.Storage.DataDir, tightened);
        StartUp(app, options);
        app.UsePiHubMetrics();
        app.UsePiHubAuthEvents();
        app.UsePiHubHttp();
        app.UsePiHubWebSockets();
        app.UsePiHubPower(options);
        app.MapOnboardingEndpoints();
        app.MapAuthEndpoints();
        app.MapRestEndpoints();
        app.MapHistoryEndpoints();
        app.MapTemplateEndpoints();
        app.MapWebhookEndpoints();
        app.MapWebSocketApi();
        app.MapPowerEndpoints();
        app.MapDashboardEndpoints();
        return app;
    }

    /// <summary>Opens the stores and the hub now, so errors surface before the service reports ready.</summary>
    private static void StartUp(WebApplication app, PiHubOptions options)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("PiHub");
        var store = app.Services.GetRequiredService<IAuthStore>();
        _ = app.Services.GetRequiredService<HubCore>(); // built now: a broken hub.db fails the start here
        logger.LogInformation("PiHub {Version} using {Source}; data in {DataDir}", options.Hub.Version, options.Source, options.Storage.DataDir);
        if (store.Recovery is { } recovery)
        {
            // HubStartService posts it as a notification too.
            logger.LogCritical("Auth store recovered at start-up: {Report}", recovery.Describe());
        }

        if (store.Current.Onboarding.RecoveryMode)
        {
            logger.LogWarning("Onboarding is open in recovery mode: creating the owner needs the one-time code in {Dir}/recovery-code.txt (readable by root only), or a new one from `sudo pihub-cli onboarding code` on the hub", options.Storage.DataDir);
        }
        else if (!store.Current.Onboarding.UserDone)
        {
            // Named once Kestrel listens: --urls, or a port of 0, make the configured host and port the wrong address.
            app.Lifetime.ApplicationStarted.Register(() =>
                logger.LogInformation("No owner yet: open {Address} to create one", ListenAddresses.ForPeople(ListenAddresses.Of(app), Dns.GetHostName())));
        }
    }
}
