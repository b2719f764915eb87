using System.Device.Gpio;
using Microsoft.Extensions.Logging;
using PiHub.Core.Hub.Gpio;

namespace PiHub.Hardware.Gpio;

/// <summary>
/// <see cref="IGpioPins"/> over a <see cref="GpioController"/>: the real chip through libgpiod, or
/// <see cref="Simulation.SimulatedGpioDriver"/> in dev mode and tests, through the same code.
/// </summary>
public sealed class GpioPins : IGpioPins
{
    private readonly GpioController _controller;
    private readonly ILogger _logger;

    /// <summary>Takes ownership of <paramref name="controller"/>.</summary>
    public GpioPins(GpioController controller, string description, int lineCount, ILogger logger)
    {
        _controller = controller;
        _logger = logger;
        Description = description;
        LineCount = lineCount;
    }

    /// <inheritdoc />
    public string Description { get; }

    /// <inheritdoc />
    public int LineCount { get; }

    /// <inheritdoc />
    public void OpenOutput(int pin, bool high) => _controller.OpenPin(pin, PinMode.Output, high ? PinValue.High : PinValue.Low);

    /// <inheritdoc />
    public void Write(int pin, bool high) => _controller.Write(pin, high ? PinValue.High : PinValue.Low);

    /// <inheritdoc />
    public bool Read(int pin) => _controller.Read(pin) == PinValue.High;

    /// <inheritdoc />
    public bool OpenInput(int pin, PinPull pull, Action<bool> onLevel)
    {
        var mode = pull switch { PinPull.Up => PinMode.InputPullUp, PinPull.Down => PinMode.InputPullDown, _ => PinMode.Input };
        if (!_controller.IsPinModeSupported(pin, mode))
        {
            // libgpiod v1 on older kernels cannot set bias: the pin still works with an external resistor.
            _logger.LogWarning("GPIO {Pin}: this driver cannot set a pull-{Pull} resistor; fit an external one or set pull: none", pin, pull.ToString().ToLowerInvariant());
            mode = PinMode.Input;
        }

        _controller.OpenPin(pin, mode);
        _controller.RegisterCallbackForPinValueChangedEvent(pin, PinEventTypes.Rising | PinEventTypes.Falling,
            (_, e) => Deliver(pin, e.ChangeType == PinEventTypes.Rising, onLevel));
        return Read(pin);
    }

    public void Dispose() => _controller.Dispose();

    /// <summary>
    /// Runs a handler on the driver's event thread. An exception escaping it would end that thread
    /// (and with it every later edge of every pin) without a word, so it is caught and logged here.
    /// </summary>
    private void Deliver(int pin, bool high, Action<bool> onLevel)
    {
        try
        {
            onLevel(high);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "The handler of GPIO {Pin} failed on an edge; later edges are still delivered", pin);
        }
    }
}
