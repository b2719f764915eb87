using System.Device.Gpio;
using PiHub.Hardware.Gpio;

namespace PiHub.Hardware.Tests.Gpio;

public class GpioChipPickerTests
{
    [Test]
    public void Pick_Pi5EarlyKernel_RP1EvenThoughItIsChipFour()
    {
        GpioChipInfo[] chips =
        [
            new(0, "gpiochip0", "gpio-brcmstb@107d508500", 32),
            new(1, "gpiochip1", "gpio-brcmstb@107d508520", 4),
            new(2, "gpiochip2", "gpio-brcmstb@107d517c00", 17),
            new(3, "gpiochip3", "gpio-brcmstb@107d517c20", 6),
            new(4, "gpiochip4", "pinctrl-rp1", 54),
        ];

        var chip = GpioChipPicker.Pick(chips, null, out _);

        Assert.That(chip?.Id, Is.EqualTo(4));
    }

    [Test]
    public void Pick_Pi4WithFirmwareExpander_Bcm2711()
    {
        GpioChipInfo[] chips = [new(0, "gpiochip0", "pinctrl-bcm2711", 58), new(1, "gpiochip1", "raspberrypi-exp-gpio", 8)];

        Assert.That(GpioChipPicker.Pick(chips, null, out _)?.Label, Is.EqualTo("pinctrl-bcm2711"));
    }

    [Test]
    public void Pick_ConfiguredLabelMissing_NullWithReasonListingChips()
    {
        GpioChipInfo[] chips = [new(0, "gpiochip0", "pinctrl-bcm2835", 54)];

        var chip = GpioChipPicker.Pick(chips, "pinctrl-rp1", out var why);

        Assert.That(chip, Is.Null);
        Assert.That(why, Is.EqualTo("no GPIO chip is labelled \"pinctrl-rp1\" (gpio.chip); the chips are gpiochip0 [pinctrl-bcm2835], 54 lines"));
    }

    [Test]
    public void Pick_TwoUnknownChips_NullAskingForGpioChip()
    {
        GpioChipInfo[] chips = [new(0, "gpiochip0", "a", 8), new(1, "gpiochip1", "b", 8)];

        Assert.That(GpioChipPicker.Pick(chips, null, out var why), Is.Null);
        Assert.That(why, Does.Contain("Set gpio.chip"));
    }

    [Test]
    public void Pick_NoChips_NullWithReason()
    {
        Assert.That(GpioChipPicker.Pick([], null, out var why), Is.Null);
        Assert.That(why, Does.StartWith("the system has no GPIO chip"));
    }
}
