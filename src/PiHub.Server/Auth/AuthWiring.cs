using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PiHub.Configuration.Auth;
using PiHub.Core.Auth;
using PiHub.Core.Auth.Bans;
using PiHub.Core.Auth.Providers;
using PiHub.Core.Auth.Storage;
using PiHub.Core.Auth.Tokens;
using PiHub.Core.Auth.TrustedNetworks;
using PiHub.Core.Auth.Validation;
using PiHub.Server.Auth.ClientPages;
using PiHub.Core.Hub;
using PiHub.Core.Hub.Webhooks;
using PiHub.Configuration;
using PiHub.Server.Webhooks;
using PiHub.Server.WebSockets;

namespace PiHub.Server.Auth;

/// <summary>
/// The auth system in one place: users and tokens (<see cref="AuthManager"/>), IP bans, and the
/// authentication of API requests. The composition root must also register an <see cref="IAuthStore"/>.
/// </summary>
public static class AuthWiring
{
    /// <summary>
    /// Adds <see cref="AuthManager"/> (and <see cref="WebhookManager"/>, whose records it stores), the password hasher, the JWT codec and the <c>homeassistant</c>
    /// provider as singletons, the reader of client pages for
    /// declared redirect URIs (IndieAuth), plus <see cref="TimeProvider.System"/> unless a clock is already registered,
    /// the <see cref="BanManager"/>, the <see cref="IApiAuthenticator"/> shared by REST and WebSocket,
    /// and a hosted service that writes pending "last used" times at shutdown.
    /// The <c>trusted_networks</c> provider is registered only when <c>auth.trusted_networks</c> holds at
    /// least one network; the <see cref="TrustedNetworkTable"/> is always registered (empty: nothing is trusted).
    /// </summary>
    public static IServiceCollection AddPiHubAuth(this IServiceCollection services, PiHubOptions options, Action<AuthOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        var authOptions = new AuthOptions();
        configure?.Invoke(authOptions);
        var networks = new TrustedNetworkTable(options.TrustedNetworks.Select(n => n.ToCore()));

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(authOptions);
        services.AddSingleton(_ => new PasswordHasher(authOptions.PasswordIterations));
        services.AddSingleton<IAccessTokenCodec, JwtAccessTokenCodec>();
        services.AddSingleton<AuthProvider>(sp => new HomeAssistantAuthProvider(sp.GetRequiredService<PasswordHasher>()));
        services.AddSingleton(networks);
        if (!networks.IsEmpty) services.AddSingleton<AuthProvider>(new TrustedNetworksAuthProvider(networks));
        services.AddSingleton(sp => new AuthProviderRegistry(sp.GetServices<AuthProvider>()));
        services.AddSingleton<IClientPageReader>(sp => new ClientPageReader(
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ClientPageReader>>(), options.AllowLanClientPages));
        services.AddSingleton(sp => new AuthManager(
            sp.GetRequiredService<IAuthStore>(),
            sp.GetRequiredService<PasswordHasher>(),
            sp.GetRequiredService<IAccessTokenCodec>(),
            sp.GetRequiredService<AuthProviderRegistry>(),
            sp.GetRequiredService<TimeProvider>(),
            authOptions,
            sp.GetRequiredService<ILogger<AuthManager>>(),
            sp.GetRequiredService<IClientPageReader>()));
        services.AddSingleton(sp => new WebhookManager(sp.GetRequiredService<AuthManager>()));
        services.AddSingleton(sp => new WebhookSignature(sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService<AuthLastUseFlusher>();
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
        return services;
    }

    /// <summary>
    /// Connects auth events: failures feed bans, a completed password login forgets that username's failures from its
    /// address, bans notify the owner (and only admins dismiss those notices), revocations and changes to a user's
    /// access (removed, deactivated, groups, local-only) close the sockets authorised before them.
    /// </summary>
    public static WebApplication UsePiHubAuthEvents(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var auth = app.Services.GetRequiredService<AuthManager>();
        var bans = app.Services.GetRequiredService<BanManager>();
        var sockets = app.Services.GetRequiredService<WsRegistry>();
        var hub = app.Services.GetRequiredService<HubCore>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("PiHub.Auth");
        auth.LoginFailed += failure =>
        {
            if (failure.ClientAddress is { } address) BanReporting.Report(bans, address, failure.Reason, logger, failure.Username);
        };
        auth.LoginSucceeded += success =>
        {
            if (success is { ClientAddress: { } address, Username: { } username }) bans.RecordSuccess(address, username);
        };
        auth.RefreshTokenRevoked += (id, reason) => sockets.CloseForRefreshToken(id, CloseReason(reason));
        auth.UserAccessChanged += sockets.CloseForUser;
        hub.Notifications.IsAdministrator = userId => auth.GetUser(userId) is { IsActive: true, IsAdmin: true };
        bans.Banned += ban => hub.Notifications.CreateAsync(
            BanManager.Describe(ban) + $" Reason: {ban.Reason}.",
            "Address banned after failed logins",
            $"ip_ban_{ban.Id.Replace(':', '_')}");
        return app;
    }

    /// <summary>What a closed connection is told (a WebSocket close reason: at most 123 bytes).</summary>
    internal static string CloseReason(RevocationReason reason) => reason switch
    {
        RevocationReason.UserDeactivated => "User deactivated: an administrator turned this account off.",
        RevocationReason.UserRemoved => "User removed: this account no longer exists on the hub.",
        RevocationReason.PasswordChanged => "The password was changed, which ended this session; log in again.",
        RevocationReason.SessionLimit => "Signed out: this user has too many sessions and this was the least recently used; log in again.",
        RevocationReason.StoreReplaced => "The hub's users were restored or reset; log in again.",
        _ => "The refresh token of this connection was revoked; log in again.",
    };
}
