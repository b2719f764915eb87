using System.Text.Json;

namespace PiHub.Core.Hub.Registries;

/// <summary>
/// An entity PiHub defines itself (a helper from the config, a GPIO switch, a power sensor), as
/// Home Assistant's entity registry lists it. States merely posted over <c>POST /api/states</c>
/// have no entry, as in Home Assistant. Register one with <see cref="HubRegistries.Register"/> (set-up) or <see cref="HubRegistries.RegisterAsync"/>:
/// <code>registries.Register(new RegistryEntry("switch.pump", "gpio", "gpio17") { OriginalName = "Pump", OnHubDevice = true });</code>
/// </summary>
/// <param name="EntityId">The entity id, e.g. <c>input_boolean.porch</c>.</param>
/// <param name="Platform">What provides the entity (<c>input_boolean</c>, <c>gpio</c>, <c>power</c>).</param>
/// <param name="UniqueId">
/// Stable within the platform across restarts and renames (a config id, a pin number): the
/// registry keeps the entry's <c>id</c> and <c>created_at</c> for as long as it does not change.
/// </param>
public sealed record RegistryEntry(string EntityId, string Platform, string UniqueId)
{
    /// <summary>The name the source gives the entity (HA's <c>original_name</c>).</summary>
    public string? OriginalName { get; init; }

    /// <summary>An icon such as <c>mdi:lightbulb</c> (HA's <c>original_icon</c>).</summary>
    public string? OriginalIcon { get; init; }

    /// <summary>A device class such as <c>outlet</c> or <c>voltage</c>.</summary>
    public string? OriginalDeviceClass { get; init; }

    /// <summary>Null for a primary entity, else <c>config</c> or <c>diagnostic</c>.</summary>
    public string? EntityCategory { get; init; }

    /// <summary>The area the config puts the entity in (an id from <c>areas:</c>).</summary>
    public string? AreaId { get; init; }

    /// <summary>Label ids from <c>labels:</c>.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>True for entities of the hub's own hardware (GPIO, power): they belong to the PiHub device.</summary>
    public bool OnHubDevice { get; init; }

    /// <summary>HA's <c>has_entity_name</c>: the name is relative to the device's.</summary>
    public bool HasEntityName { get; init; }

    /// <summary>Extra attributes a client needs to use the entity (HA's <c>capabilities</c>), a JSON object.</summary>
    public JsonElement? Capabilities { get; init; }

    /// <summary>The entity's domain (the part before the dot).</summary>
    public string Domain => Hub.EntityId.DomainOf(EntityId);

    /// <summary>The registry's key: Home Assistant's (domain, platform, unique_id).</summary>
    internal string Key => $"{Domain}|{Platform}|{UniqueId}";
}
