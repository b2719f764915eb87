using Microsoft.Extensions.Logging;
using PiHub.Server.Tests.Power;

namespace PiHub.Server.Tests.Regressions;

/// <summary>
/// `dotnet run` on a PC logged "Supply monitor (power.voltage.source: auto): INA219 on i2c-1 at 0x40" and
/// "power-fail pin GPIO 6 (active high) on gpiochip0 [pinctrl-bcm2711], 58 lines" with no word that both were
/// dev mode's simulation: a reader could take the PC for a Pi with a UPS HAT.
/// </summary>
public class DevModeHardwareNotSaidSimulatedTests
{
    [Test]
    public async Task DevMode_HardwareLogLines_SaySimulated()
    {
        await using var power = await PowerHub.StartAsync(new() { ["power:voltage:source"] = "auto" });

        var lines = power.Logs.Lines.Where(l => l.Category == "PiHub.Power" && l.Level >= LogLevel.Information).Select(l => l.Text).ToList();
        var all = string.Join("\n", lines);

        Assert.That(lines, Has.Some.EqualTo("Supply monitor (power.voltage.source: auto): simulated INA219 on i2c-1 at 0x40"), all);
        Assert.That(lines, Has.Some.StartsWith("Power monitoring: power-fail pin GPIO 6 (active high) on simulated gpiochip0 [pinctrl-bcm2711], 58 lines; simulated INA219"), all);
        Assert.That(power.Power.Monitoring, Does.Not.Contain("on gpiochip0").And.Not.StartWith("INA219"));
    }
}
