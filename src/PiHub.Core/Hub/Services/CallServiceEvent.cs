using System.Text.Json;

namespace PiHub.Core.Hub.Services;

/// <summary><c>call_service</c>: fired before a service runs, as Home Assistant does.</summary>
public sealed class CallServiceEvent(string domain, string service, JsonElement data, HubContext context, DateTimeOffset timeFired)
    : HubEvent("call_service", context, timeFired, "LOCAL")
{
    // Cloned: the caller's JsonDocument may be disposed before a subscriber serializes the event.
    private readonly JsonElement _data = data.Clone();

    public override void WriteData(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("domain", domain);
        writer.WriteString("service", service);
        writer.WritePropertyName("service_data");
        _data.WriteTo(writer);
        writer.WriteEndObject();
    }
}
