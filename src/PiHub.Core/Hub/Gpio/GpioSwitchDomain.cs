using System.Text.Json;
using PiHub.Core.Hub.Services;

namespace PiHub.Core.Hub.Gpio;

/// <summary>
/// <c>switch.&lt;name&gt;</c> for each <c>gpio.switches</c> entry: turn_on, turn_off, toggle drive the
/// pin (inverted when active_low). <c>homeassistant.*</c> reaches them through the same services.
/// Without a GPIO chip the entities are <c>unavailable</c> and the services say why.
/// </summary>
public sealed class GpioSwitchDomain
{
    public const string Domain = "switch";

    private readonly StateMachine _states;
    private readonly IGpioPins? _pins;
    private readonly string? _absentReason;
    private readonly Dictionary<string, GpioSwitchOptions> _switches;
    private readonly object _lock = new();

    /// <summary><paramref name="pins"/> null means no GPIO chip; <paramref name="absentReason"/> says why.</summary>
    public GpioSwitchDomain(StateMachine states, IGpioPins? pins, string? absentReason, IEnumerable<GpioSwitchOptions> switches)
    {
        _states = states;
        _pins = pins;
        _absentReason = absentReason;
        _switches = switches.ToDictionary(s => $"{Domain}.{s.Name}", StringComparer.Ordinal);
    }

    /// <summary>Drives every pin to its initial level, creates the entities and registers the services.</summary>
    public void Setup(ServiceRegistry services)
    {
        if (_switches.Count == 0) return;
        foreach (var (entityId, sw) in _switches)
        {
            EntityId.Validate(entityId);
            if (_pins is null)
            {
                _states.Set(entityId, "unavailable", GpioAttributes.For(sw.Name, sw.Pin, null));
                continue;
            }

            _pins.OpenOutput(sw.Pin, sw.Initial != sw.ActiveLow);
            _states.Set(entityId, sw.Initial ? "on" : "off", GpioAttributes.For(sw.Name, sw.Pin, null));
        }

        foreach (var service in new[] { "turn_on", "turn_off", "toggle" })
        {
            services.Register(
                new ServiceDescription(Domain, service, service.Replace('_', ' '), $"{service.Replace('_', ' ')} a GPIO switch.", [], TargetsEntities: true),
                (call, _) => HandleAsync(call, service));
        }
    }

    private Task HandleAsync(ServiceCall call, string service)
    {
        if (call.EntityIds.Count == 0)
        {
            throw new HubException(HubErrorCodes.ServiceValidationError, $"{Domain}.{service} needs an entity_id, e.g. {{\"entity_id\": \"{_switches.Keys.First()}\"}}.");
        }

        foreach (var entityId in call.EntityIds)
        {
            if (!_switches.TryGetValue(entityId, out var sw))
            {
                throw new HubException(HubErrorCodes.NotFound, $"{entityId} is not a switch defined in gpio.switches. Defined: {string.Join(", ", _switches.Keys)}.");
            }

            if (_pins is null)
            {
                throw new HubException(HubErrorCodes.HomeAssistantError, $"{entityId} is unavailable: {_absentReason} Fix the GPIO set-up and restart PiHub.");
            }

            // One lock for read-decide-write: two toggles at once must not both read "off".
            lock (_lock)
            {
                var on = service switch { "turn_on" => true, "turn_off" => false, _ => _states.Get(entityId)?.Value != "on" };
                _pins.Write(sw.Pin, on != sw.ActiveLow);
                _states.Set(entityId, on ? "on" : "off", GpioAttributes.For(sw.Name, sw.Pin, null), call.Context);
            }
        }

        return Task.CompletedTask;
    }
}

/// <summary>The attributes of a GPIO entity.</summary>
internal static class GpioAttributes
{
    public static JsonElement For(string name, int pin, string? deviceClass)
    {
        var json = HubJson.ToBytes((name, pin, deviceClass), static (w, x) =>
        {
            w.WriteStartObject();
            w.WriteNumber("pin", x.pin);
            if (x.deviceClass is not null) w.WriteString("device_class", x.deviceClass);
            w.WriteString("friendly_name", x.name.Replace('_', ' '));
            w.WriteEndObject();
        });
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }
}
