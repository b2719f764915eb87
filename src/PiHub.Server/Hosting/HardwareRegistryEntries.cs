using PiHub.Core.Hub;
using PiHub.Core.Hub.Gpio;
using PiHub.Core.Hub.Registries;
using PiHub.Core.Power;

namespace PiHub.Server.Hosting;

/// <summary>
/// Registry entries for the entities the Pi's hardware gives PiHub: the GPIO switches and binary sensors of the config
/// and the power entities the power monitor keeps. All belong to the PiHub device, with a unique id that survives a
/// restart (the configured name; the power entity's object id), as Home Assistant clients expect of defined entities.
/// </summary>
internal static class HardwareRegistryEntries
{
    /// <summary>The power entities and the device class Home Assistant shows them with.</summary>
    private static readonly (string EntityId, string DeviceClass)[] s_power =
    [
        (PowerEntities.PowerFail, "problem"),
        (PowerEntities.UnderVoltage, "problem"),
        (PowerEntities.SupplyVoltage, "voltage"),
        (PowerEntities.SupplyCurrent, "current"),
        (PowerEntities.BrownoutsToday, ""),
    ];

    /// <summary>Registers every GPIO entity of <paramref name="gpio"/> and each power entity that exists now.</summary>
    public static void Register(HubCore hub, GpioOptions gpio)
    {
        foreach (var sw in gpio.Switches)
        {
            hub.Registries.Register(new RegistryEntry($"{GpioSwitchDomain.Domain}.{sw.Name}", "gpio", $"switch_{sw.Name}")
            {
                OriginalName = sw.Name,
                OnHubDevice = true,
            });
        }

        foreach (var sensor in gpio.BinarySensors)
        {
            hub.Registries.Register(new RegistryEntry($"{GpioBinarySensors.Domain}.{sensor.Name}", "gpio", $"binary_sensor_{sensor.Name}")
            {
                OriginalName = sensor.Name,
                OriginalDeviceClass = sensor.DeviceClass,
                OnHubDevice = true,
            });
        }

        foreach (var (entityId, deviceClass) in s_power)
        {
            // Only what this Pi's configuration monitors (no INA219: no current sensor).
            if (hub.States.Get(entityId) is null) continue;
            hub.Registries.Register(new RegistryEntry(entityId, "pihub_power", entityId[(entityId.IndexOf('.') + 1)..])
            {
                OriginalDeviceClass = deviceClass.Length == 0 ? null : deviceClass,
                EntityCategory = "diagnostic",
                OnHubDevice = true,
            });
        }
    }
}
