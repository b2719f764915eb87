using System.Device.Gpio;
using Microsoft.Extensions.Logging.Abstractions;
using PiHub.Core.Hub.Gpio;
using PiHub.Hardware.Gpio;
using PiHub.Hardware.Simulation;

namespace PiHub.Hardware.Tests.Gpio;

public class GpioPinsTests
{
    [Test]
    public async Task OpenInput_Edges_DeliveredAsLevels()
    {
        using var driver = new SimulatedGpioDriver();
        using var pins = GpioOpener.Open(driver, NullLogger.Instance);
        var levels = new List<bool>();

        var initial = pins.OpenInput(5, PinPull.Up, levels.Add);
        driver.SetInput(5, false);
        driver.SetInput(5, true);
        await driver.DrainAsync();

        Assert.That(initial, Is.True, "pulled up, nothing connected");
        Assert.That(levels, Is.EqualTo(new[] { false, true }));
    }

    [Test]
    public async Task OpenInput_HandlerThrows_LaterEdgesStillDelivered()
    {
        using var driver = new SimulatedGpioDriver();
        using var pins = GpioOpener.Open(driver, NullLogger.Instance);
        var seen = 0;

        pins.OpenInput(5, PinPull.None, _ =>
        {
            if (Interlocked.Increment(ref seen) == 1) throw new InvalidOperationException("handler bug");
        });
        driver.SetInput(5, true);
        driver.SetInput(5, false);
        await driver.DrainAsync();

        Assert.That(seen, Is.EqualTo(2));
        Assert.That(driver.EventThreadAlive, Is.True);
    }

    [Test]
    public async Task RawCallback_HandlerThrows_EventThreadEnds()
    {
        // Why GpioPins guards handlers: unguarded, one exception silences every later edge.
        using var driver = new SimulatedGpioDriver();
        using var controller = new GpioController(driver);
        controller.OpenPin(5, PinMode.Input);
        controller.RegisterCallbackForPinValueChangedEvent(5, PinEventTypes.Rising | PinEventTypes.Falling, (_, _) => throw new InvalidOperationException("handler bug"));

        driver.SetInput(5, true);
        var drained = driver.DrainAsync();
        for (var i = 0; i < 500 && driver.EventThreadAlive; i++) await Task.Delay(10);

        Assert.That(driver.EventThreadAlive, Is.False);
        Assert.That(drained.IsCompleted, Is.False, "nothing after the exception runs");
    }

    [Test]
    public void OpenOutputAndWrite_DriveThePin()
    {
        using var driver = new SimulatedGpioDriver();
        using var pins = GpioOpener.Open(driver, NullLogger.Instance);

        pins.OpenOutput(17, high: false);
        var before = driver.OutputLevel(17);
        pins.Write(17, true);

        Assert.That(before, Is.False);
        Assert.That(driver.OutputLevel(17), Is.True);
        Assert.That(pins.Description, Is.EqualTo("simulated gpiochip0 [pinctrl-bcm2711], 58 lines"));
    }
}
