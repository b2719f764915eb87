using System.Device.Gpio;
using System.Device.Gpio.Drivers;
using Microsoft.Extensions.Logging;

namespace PiHub.Hardware.Gpio;

/// <summary>
/// Opens the header's GPIO chip through libgpiod (API v1, <c>libgpiod.so.2</c> on Raspberry Pi OS
/// Bookworm, else API v2, <c>libgpiod.so.3</c> on newer images). No library or no chip is an
/// expected outcome, reported as a reason, never thrown.
/// </summary>
public static class GpioOpener
{
    /// <summary>The chip as <see cref="GpioPins"/>, or null and the reason it is absent.</summary>
    public static GpioPins? TryOpen(string? chipLabel, ILogger logger, out string? absentReason)
    {
        if (!TryList(out var chips, out var create, out absentReason)) return null;
        var chip = GpioChipPicker.Pick(chips, chipLabel, out absentReason);
        if (chip is null) return null;
        try
        {
            var driver = create(chip);
            return new GpioPins(new GpioController(driver), GpioChipPicker.Describe(chip), chip.NumLines, logger);
        }
        catch (Exception ex) when (IsAbsent(ex))
        {
            absentReason = $"{GpioChipPicker.Describe(chip)} could not be opened ({ex.Message}); check that the pihub user is in the gpio group";
            return null;
        }
    }

    /// <summary>
    /// Opens a driver the caller made (dev mode's simulated one) the same way; its description says "simulated", so
    /// no log line or status passes it off as the Pi's chip.
    /// </summary>
    public static GpioPins Open(GpioDriver driver, ILogger logger)
    {
        var chip = driver.GetChipInfo();
        return new GpioPins(new GpioController(driver), "simulated " + GpioChipPicker.Describe(chip), chip.NumLines, logger);
    }

    private static bool TryList(out IReadOnlyList<GpioChipInfo> chips, out Func<GpioChipInfo, GpioDriver> create, out string? absentReason)
    {
        Exception? first = null;
        try
        {
            chips = [.. LibGpiodDriver.GetAvailableChips()];
            create = static c => new LibGpiodDriver(c);
            absentReason = null;
            return true;
        }
        catch (Exception ex) when (IsAbsent(ex))
        {
            first = ex;
        }

        try
        {
            chips = [.. LibGpiodV2Driver.GetAvailableChips()];
            create = static c => new LibGpiodV2Driver(c);
            absentReason = null;
            return true;
        }
        catch (Exception ex) when (IsAbsent(ex))
        {
            chips = [];
            create = static _ => throw new InvalidOperationException("no driver");
            absentReason = $"no GPIO driver: libgpiod could not be used ({Innermost(first!).Message}; API v2: {Innermost(ex).Message}). " +
                           "On a Raspberry Pi install it with `apt install libgpiod2` (or libgpiod3)";
            return false;
        }
    }

    /// <summary>What "no libgpiod / no chip / no permission" looks like (see docs: AOT-PACKAGES).</summary>
    internal static bool IsAbsent(Exception ex) => ex is IOException or PlatformNotSupportedException or DllNotFoundException
        or EntryPointNotFoundException or TypeInitializationException or UnauthorizedAccessException or BadImageFormatException;

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null) ex = ex.InnerException;
        return ex;
    }
}
