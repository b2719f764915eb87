namespace PiHub.Core.Hub.Registries;

/// <summary>An area from the config (<c>areas: [{id, name, floor, icon}]</c>).</summary>
public sealed record AreaEntry(string AreaId, string Name)
{
    /// <summary>A floor id from <c>floors:</c>, or null.</summary>
    public string? FloorId { get; init; }

    public string? Icon { get; init; }
}
