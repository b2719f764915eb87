using System.Runtime.InteropServices;
using PiHub.Core.Hub;
using PiHub.Server.Hosting;

namespace PiHub.Server.Tests.Hosting;

/// <summary>PiHub as a device: its version, and the board it runs on as the device tree names it.</summary>
public class RegistryWiringTests
{
    private static readonly HubInfo Info = new("Home", "UTC", "metric", "1.2.3");

    [Test]
    public void HubDevice_OnARaspberryPi_ModelFromDeviceTreeWithoutTrailingNul()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "Raspberry Pi 4 Model B Rev 1.4\0");

            var device = RegistryWiring.HubDevice(Info, file);

            Assert.That(device.Model, Is.EqualTo("Raspberry Pi 4 Model B Rev 1.4"));
            Assert.That(device.SwVersion, Is.EqualTo("1.2.3"));
            Assert.That(device.Name, Is.EqualTo("PiHub"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public void HubDevice_NoDeviceTree_ModelIsTheArchitecture()
    {
        var device = RegistryWiring.HubDevice(Info, "/nonexistent/device-tree/model");

        Assert.That(device.Model, Is.EqualTo("Linux " + RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant()));
    }
}
