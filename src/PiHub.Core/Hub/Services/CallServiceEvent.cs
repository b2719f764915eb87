using System.Text.Json;

namespace PiHub.Core.Hub.Services;

/// <summary>
/// <c>call_service</c>: fired before a service runs, as Home Assistant does. Its <c>service_data</c>
/// is the call's data with the <c>target</c> fields merged in (target wins), as Home Assistant's
/// <c>ServiceRegistry.async_call</c> does, so a listener sees which entities a call is aimed at.
/// </summary>
public sealed class CallServiceEvent(string domain, string service, JsonElement data, JsonElement target, HubContext context, DateTimeOffset timeFired)
    : HubEvent("call_service", context, timeFired, "LOCAL")
{
    // Cloned: the caller's JsonDocument may be disposed before a subscriber serializes the event.
    private readonly JsonElement _data = data.Clone();
    private readonly JsonElement _target = target.ValueKind == JsonValueKind.Object ? target.Clone() : default;

    public override void WriteData(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("domain", domain);
        writer.WriteString("service", service);
        writer.WritePropertyName("service_data");
        if (_target.ValueKind != JsonValueKind.Object || _data.ValueKind != JsonValueKind.Object)
        {
            _data.WriteTo(writer);
        }
        else
        {
            writer.WriteStartObject();
            foreach (var p in _data.EnumerateObject())
            {
                if (!_target.TryGetProperty(p.Name, out _)) p.WriteTo(writer);
            }

            foreach (var p in _target.EnumerateObject()) p.WriteTo(writer);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }
}
