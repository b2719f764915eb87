using System.Runtime.InteropServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PiHub.Core.Auth.Storage;
using PiHub.Core.Hub;
using PiHub.Core.Hub.Registries;
using PiHub.Configuration;

namespace PiHub.Server.Hosting;

/// <summary>Starts the registries once every entity source has registered: the config's areas, floors and labels, and PiHub as a device.</summary>
internal static class RegistryWiring
{
    /// <summary>Where Linux on a Raspberry Pi (any board with a device tree) names the board.</summary>
    private const string BoardModelFile = "/proc/device-tree/model";

    /// <summary>
    /// Starts the registries in <see cref="HubStartService"/>: once the app is built, every entity source has
    /// registered (input booleans, GPIO, power), and before Kestrel listens (the web server starts after the
    /// hosted services registered here).
    /// </summary>
    public static IServiceCollection AddPiHubRegistries(this IServiceCollection services)
    {
        services.AddHostedService<HubStartService>();
        return services;
    }

    /// <summary>The config's areas, floors and labels, and PiHub as a device.</summary>
    internal static RegistryConfig Config(PiHubOptions options) =>
        new(options.Registries.Areas, options.Registries.Floors, options.Registries.Labels, HubDevice(options.Hub));

    /// <summary>PiHub itself: its version as <c>sw_version</c>, the board it runs on as <c>model</c>.</summary>
    internal static DeviceEntry HubDevice(HubInfo info, string boardModelFile = BoardModelFile) => new("pihub", "hub", "PiHub")
    {
        Manufacturer = "PiHub",
        Model = BoardModel(boardModelFile),
        SwVersion = info.Version,
    };

    private static string BoardModel(string file)
    {
        try
        {
            // The device tree string ends with a NUL ("Raspberry Pi 4 Model B Rev 1.4\0").
            var model = File.Exists(file) ? File.ReadAllText(file).TrimEnd('\0', '\n', ' ') : "";
            if (model.Length > 0) return model;
        }
        catch (IOException)
        {
            // Unreadable: fall through to the architecture, which is still true.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }

        return $"Linux {RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant()}";
    }
}

/// <summary>
/// The start-up steps that write to the stores, awaited rather than blocking a thread: the notice of a recovered
/// auth store, then the registries compared with what <c>hub.db</c> remembers (firing <c>*_registry_updated</c>).
/// </summary>
internal sealed class HubStartService(HubCore hub, IAuthStore auth, PiHubOptions options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (auth.Recovery is { } recovery)
        {
            await hub.Notifications.CreateAsync(recovery.Describe(), "PiHub recovered its user database", "auth_store_recovery", cancellationToken).ConfigureAwait(false);
        }

        await hub.Registries.StartAsync(RegistryWiring.Config(options), cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
