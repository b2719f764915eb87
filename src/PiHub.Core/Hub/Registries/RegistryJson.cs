using System.Text.Json;

namespace PiHub.Core.Hub.Registries;

/// <summary>
/// The registries in the shapes of Home Assistant's <c>config/*_registry/*</c> WebSocket commands.
/// Fields PiHub has no use for (config entries, categories, aliases, pictures) are present with
/// Home Assistant's empty values, so clients that read them find what they expect.
/// </summary>
public static class RegistryJson
{
    /// <summary>One item of <c>config/entity_registry/list</c>; <paramref name="extended"/> adds what <c>…/get</c> answers.</summary>
    public static void WriteEntity(Utf8JsonWriter w, Registered<RegistryEntry> registered, string? deviceId, bool extended = false)
    {
        var e = registered.Item;
        w.WriteStartObject();
        w.WriteString("area_id", e.AreaId);
        w.WriteStartObject("categories");
        w.WriteEndObject();
        w.WriteNull("config_entry_id");
        w.WriteNull("config_subentry_id");
        WriteEpoch(w, "created_at", registered.CreatedAt);
        w.WriteString("device_id", deviceId);
        w.WriteNull("disabled_by");
        w.WriteString("entity_category", e.EntityCategory);
        w.WriteString("entity_id", e.EntityId);
        w.WriteBoolean("has_entity_name", e.HasEntityName);
        w.WriteNull("hidden_by");
        w.WriteNull("icon");
        w.WriteString("id", registered.Id);
        RegistryFields.WriteStrings(w, "labels", e.Labels);
        WriteEpoch(w, "modified_at", registered.ModifiedAt);
        w.WriteNull("name");
        w.WriteStartObject("options");
        w.WriteEndObject();
        w.WriteString("original_name", e.OriginalName);
        w.WriteString("platform", e.Platform);
        w.WriteNull("translation_key");
        w.WriteString("unique_id", e.UniqueId);
        if (extended)
        {
            w.WriteStartArray("aliases");
            w.WriteEndArray();
            w.WritePropertyName("capabilities");
            if (e.Capabilities is { } c) c.WriteTo(w); else w.WriteNullValue();
            w.WriteNull("device_class");
            w.WriteString("original_device_class", e.OriginalDeviceClass);
            w.WriteString("original_icon", e.OriginalIcon);
        }

        w.WriteEndObject();
    }

    /// <summary>
    /// <c>config/entity_registry/list_for_display</c>: short keys, absent values left out. Every entity PiHub
    /// defines is enabled, so none is left out for being disabled.
    /// </summary>
    public static void WriteEntitiesForDisplay(Utf8JsonWriter w, RegistrySnapshot snapshot)
    {
        w.WriteStartObject();
        w.WriteStartObject("entity_categories");
        w.WriteString("0", "config");
        w.WriteString("1", "diagnostic");
        w.WriteEndObject();
        w.WriteStartArray("entities");
        foreach (var registered in snapshot.Entities)
        {
            var e = registered.Item;
            w.WriteStartObject();
            w.WriteString("ei", e.EntityId);
            w.WriteString("pl", e.Platform);
            if (e.AreaId is not null) w.WriteString("ai", e.AreaId);
            RegistryFields.WriteStrings(w, "lb", e.Labels);
            if (snapshot.DeviceIdOf(e) is { } deviceId) w.WriteString("di", deviceId);
            if (e.EntityCategory is not null) w.WriteNumber("ec", e.EntityCategory == "config" ? 0 : 1);
            if (e.HasEntityName) w.WriteString("en", e.OriginalName);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>One item of <c>config/device_registry/list</c>.</summary>
    public static void WriteDevice(Utf8JsonWriter w, Registered<DeviceEntry> registered)
    {
        var d = registered.Item;
        w.WriteStartObject();
        w.WriteNull("area_id");
        w.WriteStartArray("config_entries");
        w.WriteEndArray();
        w.WriteStartObject("config_entries_subentries");
        w.WriteEndObject();
        w.WriteNull("configuration_url");
        w.WriteStartArray("connections");
        w.WriteEndArray();
        WriteEpoch(w, "created_at", registered.CreatedAt);
        w.WriteNull("disabled_by");
        w.WriteString("entry_type", d.EntryType);
        w.WriteString("hw_version", d.HwVersion);
        w.WriteString("id", registered.Id);
        w.WriteStartArray("identifiers");
        w.WriteStartArray();
        w.WriteStringValue(d.IdentifierDomain);
        w.WriteStringValue(d.Identifier);
        w.WriteEndArray();
        w.WriteEndArray();
        w.WriteStartArray("labels");
        w.WriteEndArray();
        w.WriteString("manufacturer", d.Manufacturer);
        w.WriteString("model", d.Model);
        w.WriteNull("model_id");
        WriteEpoch(w, "modified_at", registered.ModifiedAt);
        w.WriteString("name", d.Name);
        w.WriteNull("name_by_user");
        w.WriteNull("primary_config_entry");
        w.WriteNull("serial_number");
        w.WriteString("sw_version", d.SwVersion);
        w.WriteNull("via_device_id");
        w.WriteEndObject();
    }

    /// <summary>One item of <c>config/area_registry/list</c>.</summary>
    public static void WriteArea(Utf8JsonWriter w, Registered<AreaEntry> registered)
    {
        var a = registered.Item;
        w.WriteStartObject();
        w.WriteStartArray("aliases");
        w.WriteEndArray();
        w.WriteString("area_id", a.AreaId);
        w.WriteString("floor_id", a.FloorId);
        w.WriteNull("humidity_entity_id");
        w.WriteString("icon", a.Icon);
        w.WriteStartArray("labels");
        w.WriteEndArray();
        w.WriteString("name", a.Name);
        w.WriteNull("picture");
        w.WriteNull("temperature_entity_id");
        WriteEpoch(w, "created_at", registered.CreatedAt);
        WriteEpoch(w, "modified_at", registered.ModifiedAt);
        w.WriteEndObject();
    }

    /// <summary>One item of <c>config/floor_registry/list</c>.</summary>
    public static void WriteFloor(Utf8JsonWriter w, Registered<FloorEntry> registered)
    {
        var f = registered.Item;
        w.WriteStartObject();
        w.WriteStartArray("aliases");
        w.WriteEndArray();
        w.WriteString("floor_id", f.FloorId);
        w.WriteString("icon", f.Icon);
        if (f.Level is { } level) w.WriteNumber("level", level); else w.WriteNull("level");
        w.WriteString("name", f.Name);
        WriteEpoch(w, "created_at", registered.CreatedAt);
        WriteEpoch(w, "modified_at", registered.ModifiedAt);
        w.WriteEndObject();
    }

    /// <summary>One item of <c>config/label_registry/list</c>.</summary>
    public static void WriteLabel(Utf8JsonWriter w, Registered<LabelEntry> registered)
    {
        var l = registered.Item;
        w.WriteStartObject();
        w.WriteString("color", l.Color);
        w.WriteString("description", l.Description);
        w.WriteString("icon", l.Icon);
        w.WriteString("label_id", l.LabelId);
        w.WriteString("name", l.Name);
        WriteEpoch(w, "created_at", registered.CreatedAt);
        WriteEpoch(w, "modified_at", registered.ModifiedAt);
        w.WriteEndObject();
    }

    /// <summary>A list of items, each written by <paramref name="write"/>.</summary>
    public static void WriteList<T>(Utf8JsonWriter w, IEnumerable<T> items, Action<Utf8JsonWriter, T> write)
    {
        w.WriteStartArray();
        foreach (var item in items) write(w, item);
        w.WriteEndArray();
    }

    /// <summary>Seconds since 1970 as a float with microseconds, as Home Assistant sends <c>*_at</c> here.</summary>
    private static void WriteEpoch(Utf8JsonWriter w, string name, DateTimeOffset time) =>
        w.WriteNumber(name, Math.Round((time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / (double)TimeSpan.TicksPerSecond, 6));
}
