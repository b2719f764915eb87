namespace PiHub.Core.Hub.Registries;

/// <summary>A floor from the config (<c>floors: [{id, name, level, icon}]</c>).</summary>
public sealed record FloorEntry(string FloorId, string Name)
{
    /// <summary>0 for the ground floor, negative below it; null when not given.</summary>
    public int? Level { get; init; }

    public string? Icon { get; init; }
}
