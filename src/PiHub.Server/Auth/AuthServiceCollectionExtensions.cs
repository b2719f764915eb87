using Microsoft.Extensions.DependencyInjection.Extensions;
using PiHub.Core.Auth;
using PiHub.Core.Auth.Providers;
using PiHub.Core.Auth.Storage;
using PiHub.Core.Auth.TrustedNetworks;
using PiHub.Core.Hub.Webhooks;

namespace PiHub.Server.Auth;

/// <summary>Registers the auth system. The composition root must also register an <see cref="IAuthStore"/>.</summary>
public static class AuthServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="AuthManager"/> (and <see cref="WebhookManager"/>, whose records it stores), the password hasher, the JWT codec and the <c>homeassistant</c>
    /// provider as singletons, plus <see cref="TimeProvider.System"/> unless a clock is already registered,
    /// and a hosted service that writes pending "last used" times at shutdown.
    /// The <c>trusted_networks</c> provider is registered only when <paramref name="trustedNetworks"/> holds at
    /// least one network; the <see cref="TrustedNetworkTable"/> is always registered (empty: nothing is trusted).
    /// </summary>
    public static IServiceCollection AddPiHubAuth(this IServiceCollection services, Action<AuthOptions>? configure = null,
        IEnumerable<TrustedNetwork>? trustedNetworks = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new AuthOptions();
        configure?.Invoke(options);
        var networks = new TrustedNetworkTable(trustedNetworks ?? []);

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddSingleton(_ => new PasswordHasher(options.PasswordIterations));
        services.AddSingleton<IAccessTokenCodec, JwtAccessTokenCodec>();
        services.AddSingleton<AuthProvider>(sp => new HomeAssistantAuthProvider(sp.GetRequiredService<PasswordHasher>()));
        services.AddSingleton(networks);
        if (!networks.IsEmpty) services.AddSingleton<AuthProvider>(new TrustedNetworksAuthProvider(networks));
        services.AddSingleton(sp => new AuthProviderRegistry(sp.GetServices<AuthProvider>()));
        services.AddSingleton(sp => new AuthManager(
            sp.GetRequiredService<IAuthStore>(),
            sp.GetRequiredService<PasswordHasher>(),
            sp.GetRequiredService<IAccessTokenCodec>(),
            sp.GetRequiredService<AuthProviderRegistry>(),
            sp.GetRequiredService<TimeProvider>(),
            options,
            sp.GetRequiredService<ILogger<AuthManager>>()));
        services.AddSingleton(sp => new WebhookManager(sp.GetRequiredService<AuthManager>()));
        services.AddHostedService<AuthLastUseFlusher>();
        return services;
    }
}
