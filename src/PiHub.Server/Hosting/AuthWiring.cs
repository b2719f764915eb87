using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PiHub.Core.Auth;
using PiHub.Core.Auth.Bans;
using PiHub.Core.Auth.Storage;
using PiHub.Core.Hub;
using PiHub.Server.Api;
using PiHub.Server.Configuration;
using PiHub.Server.WebSockets;

namespace PiHub.Server.Hosting;

/// <summary>Bans, API authentication and the events that tie auth to the rest of the hub.</summary>
internal static class AuthWiring
{
    public static IServiceCollection AddPiHubSecurity(this IServiceCollection services, PiHubOptions options)
    {
        services.AddSingleton(sp => new BanManager(
            sp.GetRequiredService<IAuthStore>(),
            new BanOptions
            {
                Enabled = options.Http.IpBanEnabled,
                Threshold = options.Http.LoginAttemptsThreshold,
                // Trusted proxies are never banned: banning one would ban everyone behind it.
                Allowlist = [.. options.Http.BanAllowlist, .. options.Http.TrustedProxies],
            },
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<BanManager>>()));
        services.AddSingleton<IApiAuthenticator, ApiAuthenticator>();
        services.AddPasswordRateLimiting();
        return services;
    }

    /// <summary>Connects auth events: failures feed bans, bans notify the owner, revocations close sockets.</summary>
    public static void WireAuthEvents(WebApplication app)
    {
        var auth = app.Services.GetRequiredService<AuthManager>();
        var bans = app.Services.GetRequiredService<BanManager>();
        var sockets = app.Services.GetRequiredService<WsRegistry>();
        var hub = app.Services.GetRequiredService<HubCore>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("PiHub.Auth");
        auth.LoginFailed += failure =>
        {
            if (failure.ClientAddress is { } address) BanReporting.Report(bans, address, failure.Reason, logger);
        };
        auth.RefreshTokenRevoked += id => sockets.CloseForRefreshToken(id, "The refresh token of this connection was revoked; log in again.");
        bans.Banned += ban => hub.Notifications.CreateAsync(
            BanManager.Describe(ban) + $" Reason: {ban.Reason}.",
            "Address banned after failed logins",
            $"ip_ban_{ban.Id.Replace(':', '_')}");
    }
}
