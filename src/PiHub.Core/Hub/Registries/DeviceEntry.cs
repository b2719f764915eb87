namespace PiHub.Core.Hub.Registries;

/// <summary>A device as Home Assistant's device registry lists it. Today there is one: PiHub itself.</summary>
/// <param name="IdentifierDomain">The first half of the device's identifier pair, e.g. <c>pihub</c>.</param>
/// <param name="Identifier">The second half, stable for the device's life.</param>
/// <param name="Name">The device's name.</param>
public sealed record DeviceEntry(string IdentifierDomain, string Identifier, string Name)
{
    public string? Manufacturer { get; init; }

    public string? Model { get; init; }

    /// <summary>The software version (PiHub's own version for the hub device).</summary>
    public string? SwVersion { get; init; }

    public string? HwVersion { get; init; }

    /// <summary>Null for physical devices, <c>service</c> for software-only ones.</summary>
    public string? EntryType { get; init; }

    internal string Key => $"{IdentifierDomain}|{Identifier}";
}
