namespace PiHub.Core.Hub.Gpio;

/// <summary>The <c>gpio:</c> section: which chip, and the switches and binary sensors on it.</summary>
public sealed record GpioOptions
{
    /// <summary>
    /// The chip's label (as <c>gpiodetect</c> shows it), or null to pick the 40-pin header's chip of
    /// any Raspberry Pi by its known labels. Never a number: the Pi 5 numbers its chips differently.
    /// </summary>
    public string? ChipLabel { get; init; }

    public IReadOnlyList<GpioSwitchOptions> Switches { get; init; } = [];

    public IReadOnlyList<GpioBinarySensorOptions> BinarySensors { get; init; } = [];

    /// <summary>Every pin used by a switch or binary sensor.</summary>
    public IEnumerable<int> Pins => Switches.Select(s => s.Pin).Concat(BinarySensors.Select(b => b.Input.Pin));
}

/// <summary>One <c>gpio.switches</c> entry: <c>switch.&lt;name&gt;</c> drives <see cref="Pin"/>.</summary>
public sealed record GpioSwitchOptions(string Name, int Pin, bool ActiveLow, bool Initial);

/// <summary>One <c>gpio.binary_sensors</c> entry: <c>binary_sensor.&lt;name&gt;</c> follows <see cref="Input"/>.</summary>
public sealed record GpioBinarySensorOptions(string Name, PinInputOptions Input, string? DeviceClass);
