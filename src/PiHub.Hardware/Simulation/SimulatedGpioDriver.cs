using System.Collections.Concurrent;
using System.Device.Gpio;

namespace PiHub.Hardware.Simulation;

/// <summary>
/// A GPIO chip in memory, labelled like a Pi 4's header chip, for dev mode and tests. Inputs are
/// driven from outside with <see cref="SetInput"/>; like libgpiod, edge callbacks run on one event
/// thread of the driver's own, and an exception escaping a callback ends that thread's delivery, so
/// the code above must guard it as it must on real hardware.
/// </summary>
public sealed class SimulatedGpioDriver : GpioDriver
{
    /// <summary>The label the simulated chip reports (a Pi 4's header chip).</summary>
    public const string Label = "pinctrl-bcm2711";

    /// <summary>Lines of the simulated chip (as a BCM2711).</summary>
    public const int Lines = 58;

    private readonly ConcurrentDictionary<int, SimPin> _pins = new();
    private readonly BlockingCollection<Action> _events = new();
    private readonly Thread _eventThread;

    public SimulatedGpioDriver()
    {
        _eventThread = new Thread(RunEvents) { IsBackground = true, Name = "simulated-gpio-events" };
        _eventThread.Start();
    }

    /// <summary>False once an exception escaped a callback and ended the event thread.</summary>
    public bool EventThreadAlive => _eventThread.IsAlive;

    /// <summary>The level an output was last driven to (false when never driven).</summary>
    public bool OutputLevel(int pin) => _pins.TryGetValue(pin, out var p) && p.Mode == PinMode.Output && p.Level;

    /// <summary>True when the pin has been opened by the hub.</summary>
    public bool IsOpen(int pin) => _pins.TryGetValue(pin, out var p) && p.Open;

    /// <summary>Drives an input from outside (a button, a UPS HAT's power-fail line); queues edge callbacks.</summary>
    public void SetInput(int pin, bool high)
    {
        CheckPin(pin);
        var p = _pins.GetOrAdd(pin, static _ => new SimPin());
        PinChangeEventHandler[] handlers;
        lock (p)
        {
            p.External = high;
            if (p.Mode == PinMode.Output || p.Level == high) return;
            p.Level = high;
            handlers = [.. p.Handlers];
        }

        var args = new PinValueChangedEventArgs(high ? PinEventTypes.Rising : PinEventTypes.Falling, pin);
        foreach (var handler in handlers) _events.Add(() => handler(this, args));
    }

    /// <summary>Completes once every edge queued so far has been delivered (tests wait on it).</summary>
    public Task DrainAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _events.Add(() => done.SetResult());
        return done.Task;
    }

    /// <inheritdoc />
    protected override int PinCount => Lines;

    /// <inheritdoc />
    public override GpioChipInfo GetChipInfo() => new(0, "gpiochip0", Label, Lines);

    /// <inheritdoc />
    protected override void OpenPin(int pinNumber)
    {
        CheckPin(pinNumber);
        _pins.GetOrAdd(pinNumber, static _ => new SimPin()).Open = true;
    }

    /// <inheritdoc />
    protected override void ClosePin(int pinNumber)
    {
        if (_pins.TryGetValue(pinNumber, out var p)) p.Open = false;
    }

    /// <inheritdoc />
    protected override void SetPinMode(int pinNumber, PinMode mode)
    {
        var p = _pins.GetOrAdd(pinNumber, static _ => new SimPin());
        lock (p)
        {
            p.Mode = mode;
            // An unconnected input reads its pull: high with a pull-up, low otherwise.
            if (mode != PinMode.Output) p.Level = p.External ?? mode == PinMode.InputPullUp;
        }
    }

    /// <inheritdoc />
    protected override PinMode GetPinMode(int pinNumber) => _pins.TryGetValue(pinNumber, out var p) ? p.Mode : PinMode.Input;

    /// <inheritdoc />
    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) => true;

    /// <inheritdoc />
    protected override PinValue Read(int pinNumber) => _pins.TryGetValue(pinNumber, out var p) && p.Level ? PinValue.High : PinValue.Low;

    /// <inheritdoc />
    protected override void Write(int pinNumber, PinValue value)
    {
        var p = _pins.GetOrAdd(pinNumber, static _ => new SimPin());
        lock (p) p.Level = value == PinValue.High;
    }

    /// <inheritdoc />
    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The simulated chip delivers edges through callbacks only.");

    /// <inheritdoc />
    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback)
    {
        var p = _pins.GetOrAdd(pinNumber, static _ => new SimPin());
        lock (p) p.Handlers.Add(callback);
    }

    /// <inheritdoc />
    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback)
    {
        if (!_pins.TryGetValue(pinNumber, out var p)) return;
        lock (p) p.Handlers.Remove(callback);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) _events.CompleteAdding();
        base.Dispose(disposing);
    }

    private static void CheckPin(int pin)
    {
        if (pin < 0 || pin >= Lines) throw new ArgumentOutOfRangeException(nameof(pin), pin, $"The simulated chip has lines 0 to {Lines - 1}.");
    }

    private void RunEvents()
    {
        try
        {
            foreach (var work in _events.GetConsumingEnumerable()) work();
        }
        catch (Exception)
        {
            // A callback threw: the loop ends and no later edge is delivered. On hardware the
            // driver's thread would end too, or take the process with it; either way the code above
            // must never let an exception escape, and this makes that testable without a crash.
        }
    }

    private sealed class SimPin
    {
        public bool Open { get; set; }

        public PinMode Mode { get; set; } = PinMode.Input;

        public bool Level { get; set; }

        public bool? External { get; set; }

        public List<PinChangeEventHandler> Handlers { get; } = [];
    }
}
