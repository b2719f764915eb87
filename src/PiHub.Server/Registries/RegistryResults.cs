using System.Text.Json;
using System.Text.Json.Serialization;
using PiHub.Core.Hub.Registries;
using PiHub.Server.WebSockets;
using PiHub.Server.WebSockets.Commands;

namespace PiHub.Server.Registries;

// The registries in the shapes of Home Assistant's config/*_registry/* commands. Fields PiHub has no use
// for (config entries, categories, aliases, pictures) are present with Home Assistant's empty values, so
// clients that read them find what they expect; *_at are epoch seconds as floats, as Home Assistant sends them.

/// <summary>One item of <c>config/entity_registry/list</c>.</summary>
internal record EntityRegistryItem(
    string? AreaId,
    IReadOnlyDictionary<string, string> Categories,
    string? ConfigEntryId,
    string? ConfigSubentryId,
    double CreatedAt,
    string? DeviceId,
    string? DisabledBy,
    string? EntityCategory,
    string EntityId,
    bool HasEntityName,
    string? HiddenBy,
    string? Icon,
    string Id,
    IReadOnlyList<string> Labels,
    double ModifiedAt,
    string? Name,
    IReadOnlyDictionary<string, string> Options,
    string? OriginalName,
    string Platform,
    string? TranslationKey,
    string UniqueId)
{
    public static EntityRegistryItem From(Registered<RegistryEntry> registered, string? deviceId)
    {
        var e = registered.Item;
        return new(e.AreaId, RegistryResults.NoFields, null, null, RegistryResults.Epoch(registered.CreatedAt), deviceId, null, e.EntityCategory,
            e.EntityId, e.HasEntityName, null, null, registered.Id, e.Labels, RegistryResults.Epoch(registered.ModifiedAt), null,
            RegistryResults.NoFields, e.OriginalName, e.Platform, null, e.UniqueId);
    }
}

/// <summary><c>config/entity_registry/get</c>: the list item plus what Home Assistant adds for one entity.</summary>
internal sealed record EntityRegistryDetail : EntityRegistryItem
{
    private EntityRegistryDetail(EntityRegistryItem item)
        : base(item)
    {
    }

    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>Extra attributes a client needs to use the entity, a JSON object, or null.</summary>
    public JsonElement? Capabilities { get; init; }

    /// <summary>Set by the user in Home Assistant; PiHub has no such setting, so always null.</summary>
    public string? DeviceClass { get; init; }

    public string? OriginalDeviceClass { get; init; }

    public string? OriginalIcon { get; init; }

    public static new EntityRegistryDetail From(Registered<RegistryEntry> registered, string? deviceId) =>
        new(EntityRegistryItem.From(registered, deviceId))
        {
            Capabilities = registered.Item.Capabilities,
            OriginalDeviceClass = registered.Item.OriginalDeviceClass,
            OriginalIcon = registered.Item.OriginalIcon,
        };
}

/// <summary><c>config/entity_registry/list_for_display</c>: short keys, absent values left out.</summary>
internal sealed record EntitiesForDisplay(IReadOnlyDictionary<string, string> EntityCategories, IReadOnlyList<EntityForDisplay> Entities)
{
    // Home Assistant numbers the categories so each entity carries a digit instead of the word.
    private static readonly Dictionary<string, string> s_categories = new(StringComparer.Ordinal) { ["0"] = "config", ["1"] = "diagnostic" };

    /// <summary>Every entity PiHub defines is enabled, so none is left out for being disabled.</summary>
    public static EntitiesForDisplay From(RegistrySnapshot snapshot) => new(s_categories, [.. snapshot.Entities.Select(r =>
    {
        var e = r.Item;
        return new EntityForDisplay(e.EntityId, e.Platform, e.AreaId, e.Labels, snapshot.DeviceIdOf(e),
            e.EntityCategory is null ? null : e.EntityCategory == "config" ? 0 : 1, e.HasEntityName ? e.OriginalName : null);
    })]);
}

/// <summary>One entity of <see cref="EntitiesForDisplay"/>: entity id, platform, area, labels, device, category, name.</summary>
internal sealed record EntityForDisplay(
    [property: JsonPropertyName("ei")] string EntityId,
    [property: JsonPropertyName("pl")] string Platform,
    [property: JsonPropertyName("ai"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AreaId,
    [property: JsonPropertyName("lb")] IReadOnlyList<string> Labels,
    [property: JsonPropertyName("di"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? DeviceId,
    [property: JsonPropertyName("ec"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? EntityCategory,
    [property: JsonPropertyName("en"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Name);

/// <summary>One item of <c>config/device_registry/list</c>.</summary>
internal sealed record DeviceRegistryItem(
    string? AreaId,
    IReadOnlyList<string> ConfigEntries,
    IReadOnlyDictionary<string, string> ConfigEntriesSubentries,
    string? ConfigurationUrl,
    IReadOnlyList<IReadOnlyList<string>> Connections,
    double CreatedAt,
    string? DisabledBy,
    string? EntryType,
    string? HwVersion,
    string Id,
    IReadOnlyList<IReadOnlyList<string>> Identifiers,
    IReadOnlyList<string> Labels,
    string? Manufacturer,
    string? Model,
    string? ModelId,
    double ModifiedAt,
    string Name,
    string? NameByUser,
    string? PrimaryConfigEntry,
    string? SerialNumber,
    string? SwVersion,
    string? ViaDeviceId)
{
    public static DeviceRegistryItem From(Registered<DeviceEntry> registered)
    {
        var d = registered.Item;
        return new(null, [], RegistryResults.NoFields, null, [], RegistryResults.Epoch(registered.CreatedAt), null, d.EntryType, d.HwVersion,
            registered.Id, [[d.IdentifierDomain, d.Identifier]], [], d.Manufacturer, d.Model, null, RegistryResults.Epoch(registered.ModifiedAt),
            d.Name, null, null, null, d.SwVersion, null);
    }
}

/// <summary>One item of <c>config/area_registry/list</c>.</summary>
internal sealed record AreaRegistryItem(
    IReadOnlyList<string> Aliases,
    string AreaId,
    string? FloorId,
    string? HumidityEntityId,
    string? Icon,
    IReadOnlyList<string> Labels,
    string Name,
    string? Picture,
    string? TemperatureEntityId,
    double CreatedAt,
    double ModifiedAt)
{
    public static AreaRegistryItem From(Registered<AreaEntry> r) =>
        new([], r.Item.AreaId, r.Item.FloorId, null, r.Item.Icon, [], r.Item.Name, null, null, RegistryResults.Epoch(r.CreatedAt), RegistryResults.Epoch(r.ModifiedAt));
}

/// <summary>One item of <c>config/floor_registry/list</c>.</summary>
internal sealed record FloorRegistryItem(IReadOnlyList<string> Aliases, string FloorId, string? Icon, int? Level, string Name, double CreatedAt, double ModifiedAt)
{
    public static FloorRegistryItem From(Registered<FloorEntry> r) =>
        new([], r.Item.FloorId, r.Item.Icon, r.Item.Level, r.Item.Name, RegistryResults.Epoch(r.CreatedAt), RegistryResults.Epoch(r.ModifiedAt));
}

/// <summary>One item of <c>config/label_registry/list</c>.</summary>
internal sealed record LabelRegistryItem(string? Color, string? Description, string? Icon, string LabelId, string Name, double CreatedAt, double ModifiedAt)
{
    public static LabelRegistryItem From(Registered<LabelEntry> r) =>
        new(r.Item.Color, r.Item.Description, r.Item.Icon, r.Item.LabelId, r.Item.Name, RegistryResults.Epoch(r.CreatedAt), RegistryResults.Epoch(r.ModifiedAt));
}

/// <summary>Helpers shared by the registry results.</summary>
internal static class RegistryResults
{
    /// <summary>Home Assistant's empty <c>{}</c> for categories, options and subentries.</summary>
    public static readonly IReadOnlyDictionary<string, string> NoFields = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Seconds since 1970 as a float with microseconds, as Home Assistant sends <c>*_at</c> here.</summary>
    public static double Epoch(DateTimeOffset time) =>
        Math.Round((time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / (double)TimeSpan.TicksPerSecond, 6);
}

/// <summary>Source-generated JSON for <see cref="RegistryCommands"/> results (snake_case, as Home Assistant).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(List<EntityRegistryItem>))]
[JsonSerializable(typeof(EntityRegistryDetail))]
[JsonSerializable(typeof(EntitiesForDisplay))]
[JsonSerializable(typeof(List<DeviceRegistryItem>))]
[JsonSerializable(typeof(List<AreaRegistryItem>))]
[JsonSerializable(typeof(List<FloorRegistryItem>))]
[JsonSerializable(typeof(List<LabelRegistryItem>))]
internal sealed partial class RegistryResultsJsonContext : JsonSerializerContext
{
}
