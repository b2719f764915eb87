using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PiHub.Core.Admin;
using PiHub.Core.Auth;
using PiHub.Core.Auth.Bans;
using PiHub.Core.Auth.Storage;
using PiHub.Configuration;

namespace PiHub.Server.AdminSocket;

/// <summary>The admin socket and the <see cref="HubAdmin"/> it serves.</summary>
public static class AdminWiring
{
    /// <summary>Adds <see cref="HubAdmin"/> over the hub's auth system and store, and the admin socket listener.</summary>
    public static IServiceCollection AddPiHubAdminSocket(this IServiceCollection services, PiHubOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(sp =>
        {
            var store = sp.GetRequiredService<IAuthStore>();
            return new HubAdmin(new AdminContext(
                sp.GetRequiredService<AuthManager>(),
                sp.GetRequiredService<BanManager>(),
                store,
                store as IAuthStoreAdmin ?? throw new InvalidOperationException("The auth store does not support administration."),
                sp.GetRequiredService<PasswordHasher>(),
                options.Hub.Version) { Power = sp.GetService<IPowerAdmin>() });
        });
        services.AddHostedService(sp => new AdminSocketListener(options, sp.GetRequiredService<HubAdmin>(), sp.GetRequiredService<ILoggerFactory>()));
        return services;
    }
}
