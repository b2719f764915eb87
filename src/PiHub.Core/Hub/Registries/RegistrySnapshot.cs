namespace PiHub.Core.Hub.Registries;

/// <summary>Every registry at one moment, in listing order. Later changes do not affect it.</summary>
public sealed record RegistrySnapshot(
    IReadOnlyList<Registered<RegistryEntry>> Entities,
    IReadOnlyList<Registered<DeviceEntry>> Devices,
    IReadOnlyList<Registered<AreaEntry>> Areas,
    IReadOnlyList<Registered<FloorEntry>> Floors,
    IReadOnlyList<Registered<LabelEntry>> Labels)
{
    /// <summary>Before <see cref="HubRegistries.StartAsync"/>: every list empty.</summary>
    public static readonly RegistrySnapshot Empty = new([], [], [], [], []);

    /// <summary>The hub device's registry id, or null before start-up.</summary>
    public string? HubDeviceId => Devices.Count > 0 ? Devices[0].Id : null;

    /// <summary>The device id an entity belongs to, or null.</summary>
    public string? DeviceIdOf(RegistryEntry entry) => entry.OnHubDevice ? HubDeviceId : null;

    /// <summary>One entity by id, or null.</summary>
    public Registered<RegistryEntry>? Entity(string entityId) =>
        Entities.FirstOrDefault(e => string.Equals(e.Item.EntityId, entityId, StringComparison.Ordinal));
}
