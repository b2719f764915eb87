using System.Globalization;
using Microsoft.Extensions.Configuration;
using PiHub.Core.Hub;
using PiHub.Core.Hub.Gpio;
using PiHub.Core.Power;

namespace PiHub.Configuration;

/// <summary>
/// Reads and checks the <c>power:</c> and <c>gpio:</c> sections. Pins are BCM numbers; a pin used
/// twice, or the power-fail pin reused, stops start-up here. A pin the chip lacks is caught when
/// the chip is opened (the chip's size is known only then).
/// </summary>
internal static class PowerConfig
{
    /// <summary>The largest line number accepted here; the chip's own size is checked when it is opened.</summary>
    private const int MaxPin = 63;

    /// <summary>Home Assistant's binary sensor device classes.</summary>
    private static readonly string[] s_deviceClasses =
    [
        "battery", "battery_charging", "carbon_monoxide", "cold", "connectivity", "door", "garage_door", "gas", "heat",
        "light", "lock", "moisture", "motion", "moving", "occupancy", "opening", "plug", "power", "presence", "problem",
        "running", "safety", "smoke", "sound", "tamper", "update", "vibration", "window",
    ];

    public static PowerOptions ReadPower(IConfiguration configuration, string source, bool devMode)
    {
        var power = new ConfigReader(configuration, "power", source);
        var simulate = power.Bool("simulate", devMode);
        var failSection = configuration.GetSection("power:fail_pin");
        power.RawOrNull("fail_pin");
        PinInputOptions? failPin = null;
        if (failSection.Exists())
        {
            failPin = ReadInput(configuration, "power:fail_pin", source, defaultPull: "none", defaultDebounceMs: 10, required: true);
        }
        else if (devMode && simulate)
        {
            // Dev mode watches a simulated UPS HAT's power-fail line on the common GPIO 6, so a person can flip it.
            failPin = new PinInputOptions(6, ActiveLow: false, PinPull.None, TimeSpan.FromMilliseconds(10));
        }

        power.RawOrNull("voltage");
        var voltage = new ConfigReader(configuration, "power:voltage", source);
        var voltageOptions = new VoltageOptions
        {
            Source = voltage.OneOf("source", "auto", "auto", "hwmon", "throttled", "ina219", "none") switch
            {
                "hwmon" => VoltageSourceKind.Hwmon,
                "throttled" => VoltageSourceKind.Throttled,
                "ina219" => VoltageSourceKind.Ina219,
                "none" => VoltageSourceKind.None,
                _ => VoltageSourceKind.Auto,
            },
            LowVolts = voltage.Double("low_volts", 4.75, 0.5, 30),
            PollInterval = TimeSpan.FromMilliseconds(voltage.Int("poll_ms", 1000, 100, 60_000)),
            I2cBus = voltage.RawOrNull("i2c_bus") is null ? null : voltage.Int("i2c_bus", 1, 0, 31),
            I2cAddress = I2cAddress(voltage),
            ShuntOhms = voltage.Double("shunt_ohms", 0.1, 0.000_1, 100),
        };
        voltage.RefuseUnknownKeys();
        var shutdown = power.RawOrNull("shutdown_after_s") is null ? (int?)null : power.Int("shutdown_after_s", 0, 1, 86_400);
        var options = new PowerOptions
        {
            Simulate = simulate,
            FailPin = failPin,
            Voltage = voltageOptions,
            ShutdownAfter = shutdown is { } s ? TimeSpan.FromSeconds(s) : null,
            Recovery = TimeSpan.FromSeconds(power.Int("recovery_s", 10, 0, 3600)),
            KeepBrownouts = TimeSpan.FromDays(power.Int("brownouts_keep_days", 365, 90, 3650)),
        };
        power.RefuseUnknownKeys();
        return options;
    }

    public static GpioOptions ReadGpio(IConfiguration configuration, string source, PowerOptions power)
    {
        var gpio = new ConfigReader(configuration, "gpio", source);
        var chip = gpio.RawOrNull("chip");
        gpio.RawOrNull("switches");
        gpio.RawOrNull("binary_sensors");
        gpio.RefuseUnknownKeys();
        var switches = new List<GpioSwitchOptions>();
        foreach (var item in configuration.GetSection("gpio:switches").GetChildren())
        {
            var key = $"gpio:switches:{item.Key}";
            var reader = new ConfigReader(configuration, key, source);
            var name = Name(reader, source);
            var pin = Pin(reader, source, required: true);
            switches.Add(new GpioSwitchOptions(name, pin, reader.Bool("active_low", false), reader.Bool("initial", false)));
            reader.RefuseUnknownKeys();
        }

        var sensors = new List<GpioBinarySensorOptions>();
        foreach (var item in configuration.GetSection("gpio:binary_sensors").GetChildren())
        {
            var key = $"gpio:binary_sensors:{item.Key}";
            var reader = new ConfigReader(configuration, key, source);
            var name = Name(reader, source);
            var input = ReadInput(configuration, key, source, defaultPull: "up", defaultDebounceMs: 50, required: true, extraKeys: ["name", "device_class"]);
            var deviceClass = reader.RawOrNull("device_class") is null ? null : reader.OneOf("device_class", "", s_deviceClasses);
            sensors.Add(new GpioBinarySensorOptions(name, input, deviceClass));
        }

        var options = new GpioOptions { ChipLabel = chip, Switches = switches, BinarySensors = sensors };
        CheckConflicts(options, power, source);
        return options;
    }

    private static void CheckConflicts(GpioOptions gpio, PowerOptions power, string source)
    {
        var users = new Dictionary<int, string>();
        if (power.FailPin is { } fail) users[fail.Pin] = "power.fail_pin";
        var uses = gpio.Switches.Select((s, i) => (s.Pin, $"gpio.switches[{i}] ({s.Name})"))
            .Concat(gpio.BinarySensors.Select((b, i) => (b.Input.Pin, $"gpio.binary_sensors[{i}] ({b.Name})")));
        foreach (var (pin, who) in uses)
        {
            if (users.TryGetValue(pin, out var first))
            {
                throw new ConfigException($"GPIO {pin} is used twice in {source}: by {first} and by {who}. Give each its own pin and start PiHub again.");
            }

            users[pin] = who;
        }

        foreach (var group in gpio.Switches.Select(s => s.Name).Concat(gpio.BinarySensors.Select(b => b.Name)).GroupBy(n => n).Where(g => g.Count() > 1))
        {
            // switch.x and binary_sensor.x may share a name; two switches (or two sensors) may not.
            if (gpio.Switches.Count(s => s.Name == group.Key) > 1 || gpio.BinarySensors.Count(b => b.Name == group.Key) > 1)
            {
                throw new ConfigException($"The name \"{group.Key}\" appears twice in the same gpio list in {source}. Entity ids must be unique: rename one and start PiHub again.");
            }
        }
    }

    private static PinInputOptions ReadInput(IConfiguration configuration, string key, string source, string defaultPull, int defaultDebounceMs,
        bool required, string[]? extraKeys = null)
    {
        var reader = new ConfigReader(configuration, key, source);
        foreach (var extra in extraKeys ?? []) reader.RawOrNull(extra);
        var pin = Pin(reader, source, required);
        var options = new PinInputOptions(
            pin,
            reader.Bool("active_low", false),
            reader.OneOf("pull", defaultPull, "up", "down", "none") switch { "up" => PinPull.Up, "down" => PinPull.Down, _ => PinPull.None },
            TimeSpan.FromMilliseconds(reader.Int("debounce_ms", defaultDebounceMs, 0, 10_000)));
        reader.RefuseUnknownKeys();
        return options;
    }

    private static int Pin(ConfigReader reader, string source, bool required)
    {
        if (reader.RawOrNull("pin") is null && required)
        {
            throw new ConfigException($"{reader.Key("pin")} is missing in {source}. Give the BCM GPIO number (e.g. pin: 17, header pin 11) and start PiHub again.");
        }

        return reader.Int("pin", 0, 0, MaxPin);
    }

    private static string Name(ConfigReader reader, string source)
    {
        var name = reader.RawOrNull("name")?.ToLowerInvariant()
            ?? throw new ConfigException($"{reader.Key("name")} is missing in {source}. Give a name such as garden_pump (it becomes the entity id) and start PiHub again.");
        return EntityId.IsValidSlug(name) ? name : throw reader.Bad("name", name, "lowercase letters, digits and single underscores, e.g. garden_pump");
    }

    private static int I2cAddress(ConfigReader reader)
    {
        var raw = reader.RawOrNull("i2c_address");
        if (raw is null) return 0x40;
        var ok = raw.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? int.TryParse(raw[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value)
            : int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        return ok && value is >= 0x03 and <= 0x77 ? value : throw reader.Bad("i2c_address", raw, "a 7-bit I²C address from 0x03 to 0x77, e.g. 0x40");
    }
}
