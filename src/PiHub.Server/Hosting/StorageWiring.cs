using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PiHub.Core.Auth.Storage;
using PiHub.Core.Hub;
using PiHub.Core.Power;
using PiHub.Configuration;
using PiHub.Storage;
using PiHub.Storage.Hub;

namespace PiHub.Server.Hosting;

/// <summary>The LiteDB stores: auth (users, credentials, tokens, bans) and hub data, in separate files.</summary>
internal static class StorageWiring
{
    public static IServiceCollection AddPiHubStorage(this IServiceCollection services, PiHubOptions options)
    {
        services.AddSingleton<IAuthStore>(sp => LiteAuthStore.Open(
            new AuthStoreOptions
            {
                Directory = options.Storage.DataDir,
                SnapshotCount = options.Storage.SnapshotsKeep,
                WriteGate = sp.GetRequiredService<WriteGate>(),
                CommitTimed = sp.GetService<Metrics.HubInstruments>() is { } metrics ? metrics.RecordAuthCommit : null,
            },
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("PiHub.AuthStore"),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IHubStore>(sp => LiteHubStore.Open(
            options.Storage.DataDir,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("PiHub.HubStore"),
            sp.GetRequiredService<TimeProvider>(),
            gate: sp.GetRequiredService<WriteGate>()));
        // What a power failure flushes, in this order; the recorder adds its own.
        services.AddSingleton(sp => new StoreFlush("auth", ct => sp.GetRequiredService<IAuthStore>().CheckpointAsync(ct)));
        services.AddSingleton(sp => new StoreFlush("hub", _ => ((LiteHubStore)sp.GetRequiredService<IHubStore>()).CheckpointAsync()));
        return services;
    }
}
