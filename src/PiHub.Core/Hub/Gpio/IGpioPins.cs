namespace PiHub.Core.Hub.Gpio;

/// <summary>
/// The GPIO chip of the 40-pin header, as the hub needs it: outputs to drive, inputs to watch.
/// Pins are BCM numbers (line offsets of the header's chip). Implemented over
/// <c>System.Device.Gpio</c> in PiHub.Hardware, on the real chip or a simulated one.
/// </summary>
public interface IGpioPins : IDisposable
{
    /// <summary>Which chip this is, for logs: e.g. "gpiochip0 [pinctrl-bcm2711], 58 lines".</summary>
    string Description { get; }

    /// <summary>Lines the chip has; valid pins are 0 to <c>LineCount - 1</c>.</summary>
    int LineCount { get; }

    /// <summary>Opens <paramref name="pin"/> as an output driven to <paramref name="high"/>.</summary>
    void OpenOutput(int pin, bool high);

    /// <summary>Drives an output opened with <see cref="OpenOutput"/>.</summary>
    void Write(int pin, bool high);

    /// <summary>
    /// Opens <paramref name="pin"/> as an input and calls <paramref name="onLevel"/> (true = high) on
    /// every edge, from the driver's event thread; an exception thrown by it is logged, never lost
    /// into that thread. Returns the level now.
    /// </summary>
    bool OpenInput(int pin, PinPull pull, Action<bool> onLevel);

    /// <summary>Reads a pin's level (true = high).</summary>
    bool Read(int pin);
}

/// <summary>The pull resistor of an input pin.</summary>
public enum PinPull
{
    None,
    Up,
    Down,
}

/// <summary>An input pin: BCM number, polarity, pull resistor and debounce time.</summary>
public sealed record PinInputOptions(int Pin, bool ActiveLow, PinPull Pull, TimeSpan Debounce);
