using PiHub.Core.Hub;
using PiHub.Server.Tests.Power;

namespace PiHub.Server.Tests.Regressions;

/// <summary>
/// The GPIO and power entities were registered after the registries started, so each start first removed their
/// remembered entries (firing remove events) and then created them again with a new random id: a client that
/// keyed anything on the registry id lost it at every restart. They are registered before the start now.
/// </summary>
public class HardwareRegistryIdsChangeOnRestartTests
{
    private static readonly Dictionary<string, string?> s_gpio = new()
    {
        ["gpio:switches:0:name"] = "pump",
        ["gpio:switches:0:pin"] = "17",
    };

    [Test]
    public async Task Restart_SameConfig_GpioAndPowerEntitiesKeepTheirRegistryIds()
    {
        var dataDir = Directory.CreateTempSubdirectory("pihub-test-").FullName;
        try
        {
            var first = await IdsAsync(dataDir);
            var second = await IdsAsync(dataDir);

            Assert.That(first.Keys, Does.Contain("switch.pump").And.Contain("binary_sensor.power_fail"));
            Assert.That(second, Is.EqualTo(first));
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private static async Task<Dictionary<string, string>> IdsAsync(string dataDir)
    {
        await using var power = await PowerHub.StartAsync(s_gpio, dataDir: dataDir);
        var snapshot = power.Hub.Service<HubCore>().Registries.Snapshot();
        return snapshot.Entities.Where(e => e.Item.Platform is "gpio" or "pihub_power")
            .ToDictionary(e => e.Item.EntityId, e => $"{e.Id} {e.CreatedAt:O}");
    }
}
