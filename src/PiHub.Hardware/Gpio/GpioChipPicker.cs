using System.Device.Gpio;

namespace PiHub.Hardware.Gpio;

/// <summary>
/// Picks the 40-pin header's GPIO chip by its label, never by its number: on a Pi 5 the header is
/// on the RP1 (gpiochip4 on early kernels, gpiochip0 since the renumbering), on a Pi 4 it is
/// gpiochip0 with an 8-line firmware expander beside it.
/// </summary>
public static class GpioChipPicker
{
    /// <summary>
    /// The header chip's label on each generation: RP1 (Pi 5, 54 lines), BCM2711 (Pi 4/400/CM4,
    /// 58 lines), BCM2835 driver (Pi 1-3 and Zero, 54 lines). These are the pinctrl drivers' names
    /// as <c>gpiodetect</c> shows them.
    /// </summary>
    public static readonly IReadOnlyList<string> HeaderLabels = ["pinctrl-rp1", "pinctrl-bcm2711", "pinctrl-bcm2835"];

    /// <summary>
    /// The chip labelled <paramref name="label"/>, or (label null) the first of <see cref="HeaderLabels"/>
    /// present, or the only chip there is. Null with <paramref name="why"/> when none fits.
    /// </summary>
    public static GpioChipInfo? Pick(IReadOnlyList<GpioChipInfo> chips, string? label, out string? why)
    {
        why = null;
        if (chips.Count == 0)
        {
            why = "the system has no GPIO chip (no /dev/gpiochip*), so there is no GPIO driver to use";
            return null;
        }

        if (label is not null)
        {
            var match = chips.FirstOrDefault(c => string.Equals(c.Label, label, StringComparison.Ordinal));
            if (match is null) why = $"no GPIO chip is labelled \"{label}\" (gpio.chip); the chips are {List(chips)}";
            return match;
        }

        foreach (var known in HeaderLabels)
        {
            var match = chips.FirstOrDefault(c => string.Equals(c.Label, known, StringComparison.Ordinal));
            if (match is not null) return match;
        }

        if (chips.Count == 1) return chips[0];
        why = $"none of the GPIO chips is a Raspberry Pi header chip ({string.Join(", ", HeaderLabels)}); the chips are {List(chips)}. Set gpio.chip to the label of the one to use";
        return null;
    }

    /// <summary>"gpiochip0 [pinctrl-bcm2711], 58 lines".</summary>
    public static string Describe(GpioChipInfo chip) => $"gpiochip{chip.Id} [{chip.Label}], {chip.NumLines} lines";

    private static string List(IEnumerable<GpioChipInfo> chips) => string.Join(", ", chips.Select(Describe));
}
