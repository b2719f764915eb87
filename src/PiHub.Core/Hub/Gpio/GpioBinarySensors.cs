namespace PiHub.Core.Hub.Gpio;

/// <summary>
/// <c>binary_sensor.&lt;name&gt;</c> for each <c>gpio.binary_sensors</c> entry, following its pin
/// through edge callbacks, debounced by <c>debounce_ms</c>. Without a GPIO chip they are <c>unavailable</c>.
/// </summary>
public sealed class GpioBinarySensors : IDisposable
{
    public const string Domain = "binary_sensor";

    private readonly StateMachine _states;
    private readonly TimeProvider _time;
    private readonly List<Debouncer> _debouncers = [];

    public GpioBinarySensors(StateMachine states, TimeProvider time)
    {
        _states = states;
        _time = time;
    }

    /// <summary>Opens each pin as an input and creates its entity; <paramref name="pins"/> null: all unavailable.</summary>
    public void Setup(IGpioPins? pins, IEnumerable<GpioBinarySensorOptions> sensors)
    {
        foreach (var sensor in sensors)
        {
            var entityId = $"{Domain}.{sensor.Name}";
            EntityId.Validate(entityId);
            var attributes = GpioAttributes.For(sensor.Name, sensor.Input.Pin, sensor.DeviceClass);
            if (pins is null)
            {
                _states.Set(entityId, "unavailable", attributes);
                continue;
            }

            var input = sensor.Input;
            Debouncer? debouncer = null;
            var high = pins.OpenInput(input.Pin, input.Pull, level => debouncer?.Input(level != input.ActiveLow));
            var on = high != input.ActiveLow;
            debouncer = new Debouncer(input.Debounce, _time, on, stable => _states.Set(entityId, stable ? "on" : "off", attributes));
            _debouncers.Add(debouncer);
            _states.Set(entityId, on ? "on" : "off", attributes);
            // An edge between opening the pin and creating the debouncer was dropped: read again.
            debouncer.Input(pins.Read(input.Pin) != input.ActiveLow);
        }
    }

    public void Dispose()
    {
        foreach (var d in _debouncers) d.Dispose();
    }
}
