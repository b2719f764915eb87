namespace PiHub.Core.Hub.Registries;

/// <summary>What the registries start from besides the entities: the config's areas, floors and labels, and the hub device.</summary>
public sealed record RegistryConfig(
    IReadOnlyList<AreaEntry> Areas,
    IReadOnlyList<FloorEntry> Floors,
    IReadOnlyList<LabelEntry> Labels,
    DeviceEntry HubDevice);
