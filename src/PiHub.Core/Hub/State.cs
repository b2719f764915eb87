using System.Text.Json;

namespace PiHub.Core.Hub;

/// <summary>
/// The state of one entity at one moment. Immutable; its JSON is produced once and reused
/// by every REST response and WebSocket subscriber that sends it.
/// </summary>
public sealed class State
{
    /// <summary>Home Assistant's limit on the state string.</summary>
    public const int MaxLength = 255;

    private byte[]? _json;

    public State(string entityId, string value, JsonElement attributes, DateTimeOffset lastChanged, DateTimeOffset lastUpdated, HubContext context)
    {
        EntityId = entityId;
        Value = value;
        Attributes = attributes;
        LastChanged = lastChanged;
        LastUpdated = lastUpdated;
        Context = context;
    }

    public string EntityId { get; }

    /// <summary>The state string ("on", "21.5", …).</summary>
    public string Value { get; }

    /// <summary>Always a JSON object.</summary>
    public JsonElement Attributes { get; }

    public DateTimeOffset LastChanged { get; }

    public DateTimeOffset LastUpdated { get; }

    public HubContext Context { get; }

    public string Domain => Hub.EntityId.DomainOf(EntityId);

    /// <summary>The state object as Home Assistant serializes it.</summary>
    public ReadOnlySpan<byte> Json => _json ??= HubJson.ToBytes(this, static (w, s) => s.WriteTo(w));

    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("entity_id", EntityId);
        writer.WriteString("state", Value);
        writer.WritePropertyName("attributes");
        Attributes.WriteTo(writer);
        writer.WriteString("last_changed", HubJson.FormatTime(LastChanged));
        writer.WriteString("last_reported", HubJson.FormatTime(LastUpdated));
        writer.WriteString("last_updated", HubJson.FormatTime(LastUpdated));
        writer.WritePropertyName("context");
        HubJson.WriteContext(writer, Context);
        writer.WriteEndObject();
    }

    /// <summary>Writes the cached JSON into another writer without re-serializing.</summary>
    public void WriteCachedTo(Utf8JsonWriter writer) => writer.WriteRawValue(Json, skipInputValidation: true);
}
