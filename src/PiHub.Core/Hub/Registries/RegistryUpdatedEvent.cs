using System.Text.Json;

namespace PiHub.Core.Hub.Registries;

/// <summary>
/// <c>entity_registry_updated</c>, <c>device_registry_updated</c>, <c>area_registry_updated</c>,
/// <c>floor_registry_updated</c> or <c>label_registry_updated</c>: <c>{action, &lt;kind&gt;_id}</c>,
/// plus <c>changes</c> (old values) for updates, as Home Assistant fires them. Clients such as
/// Node-RED refetch the list when they see one.
/// </summary>
public sealed class RegistryUpdatedEvent : HubEvent
{
    public const string EntityType = "entity_registry_updated";
    public const string DeviceType = "device_registry_updated";
    public const string AreaType = "area_registry_updated";
    public const string FloorType = "floor_registry_updated";
    public const string LabelType = "label_registry_updated";

    /// <summary>Every registry event type, for subscription allow-lists.</summary>
    public static readonly IReadOnlyList<string> AllTypes = [EntityType, DeviceType, AreaType, FloorType, LabelType];

    private readonly string _idField;
    private readonly JsonElement? _changes;
    private readonly string? _oldEntityId;
    private readonly JsonElement? _device;

    internal RegistryUpdatedEvent(string eventType, string action, string idField, string itemId, HubContext context, DateTimeOffset timeFired,
        JsonElement? changes = null, string? oldEntityId = null, JsonElement? device = null)
        : base(eventType, context, timeFired, "LOCAL")
    {
        Action = action;
        _idField = idField;
        ItemId = itemId;
        _changes = changes;
        _oldEntityId = oldEntityId;
        _device = device;
    }

    /// <summary><c>create</c>, <c>update</c> or <c>remove</c>.</summary>
    public string Action { get; }

    /// <summary>The entity id, device id, area id, floor id or label id.</summary>
    public string ItemId { get; }

    public override void WriteData(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("action", Action);
        writer.WriteString(_idField, ItemId);
        if (_changes is { } changes)
        {
            writer.WritePropertyName("changes");
            changes.WriteTo(writer);
        }

        if (_oldEntityId is not null) writer.WriteString("old_entity_id", _oldEntityId);
        if (_device is { } device)
        {
            writer.WritePropertyName("device");
            device.WriteTo(writer);
        }

        writer.WriteEndObject();
    }
}
