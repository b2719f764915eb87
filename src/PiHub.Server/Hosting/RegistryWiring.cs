using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
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
    /// Starts the registries: compares them with what <c>hub.db</c> remembers and fires the <c>*_registry_updated</c>
    /// events. Runs after <see cref="HubCore"/> is built (its helpers registered) and before Kestrel listens.
    /// </summary>
    public static WebApplication UsePiHubRegistries(this WebApplication app, PiHubOptions options)
    {
        var hub = app.Services.GetRequiredService<HubCore>();
        var registries = options.Registries;
        hub.Registries.Start(new RegistryConfig(registries.Areas, registries.Floors, registries.Labels, HubDevice(options.Hub)));
        return app;
    }

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
