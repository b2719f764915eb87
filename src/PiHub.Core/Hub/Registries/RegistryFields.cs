using System.Text.Json;

namespace PiHub.Core.Hub.Registries;

/// <summary>
/// The listed fields of each kind of item, under Home Assistant's names: compared at start-up to
/// find changes, and reported as <c>changes</c> (old values) in <c>*_registry_updated</c> events.
/// </summary>
internal static class RegistryFields
{
    public static JsonElement Entity(RegistryEntry e, string? deviceId) => Object((e, deviceId), static (w, s) =>
    {
        var (e, deviceId) = s;
        w.WriteString("entity_id", e.EntityId);
        w.WriteString("platform", e.Platform);
        w.WriteString("original_name", e.OriginalName);
        w.WriteString("original_icon", e.OriginalIcon);
        w.WriteString("original_device_class", e.OriginalDeviceClass);
        w.WriteString("entity_category", e.EntityCategory);
        w.WriteString("area_id", e.AreaId);
        WriteStrings(w, "labels", e.Labels);
        w.WriteString("device_id", deviceId);
        w.WriteBoolean("has_entity_name", e.HasEntityName);
        w.WritePropertyName("capabilities");
        if (e.Capabilities is { } c) c.WriteTo(w); else w.WriteNullValue();
    });

    public static JsonElement Device(DeviceEntry d) => Object(d, static (w, d) =>
    {
        w.WriteStartArray("identifiers");
        w.WriteStartArray();
        w.WriteStringValue(d.IdentifierDomain);
        w.WriteStringValue(d.Identifier);
        w.WriteEndArray();
        w.WriteEndArray();
        w.WriteString("name", d.Name);
        w.WriteString("manufacturer", d.Manufacturer);
        w.WriteString("model", d.Model);
        w.WriteString("sw_version", d.SwVersion);
        w.WriteString("hw_version", d.HwVersion);
        w.WriteString("entry_type", d.EntryType);
    });

    public static JsonElement Area(AreaEntry a) => Object(a, static (w, a) =>
    {
        w.WriteString("name", a.Name);
        w.WriteString("floor_id", a.FloorId);
        w.WriteString("icon", a.Icon);
    });

    public static JsonElement Floor(FloorEntry f) => Object(f, static (w, f) =>
    {
        w.WriteString("name", f.Name);
        if (f.Level is { } level) w.WriteNumber("level", level); else w.WriteNull("level");
        w.WriteString("icon", f.Icon);
    });

    public static JsonElement Label(LabelEntry l) => Object(l, static (w, l) =>
    {
        w.WriteString("name", l.Name);
        w.WriteString("color", l.Color);
        w.WriteString("icon", l.Icon);
        w.WriteString("description", l.Description);
    });

    public static void WriteStrings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }

    /// <summary>A JSON object whose properties <paramref name="body"/> writes.</summary>
    public static JsonElement Object<T>(T state, Action<Utf8JsonWriter, T> body)
    {
        var bytes = HubJson.ToBytes((state, body), static (w, s) =>
        {
            w.WriteStartObject();
            s.body(w, s.state);
            w.WriteEndObject();
        });
        using var doc = JsonDocument.Parse(bytes);
        return doc.RootElement.Clone();
    }
}
