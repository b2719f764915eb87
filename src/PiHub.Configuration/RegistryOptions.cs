using PiHub.Core.Hub.Registries;

namespace PiHub.Configuration;

/// <summary>The <c>areas:</c>, <c>floors:</c> and <c>labels:</c> lists, validated, in file order.</summary>
public sealed record RegistryOptions(IReadOnlyList<AreaEntry> Areas, IReadOnlyList<FloorEntry> Floors, IReadOnlyList<LabelEntry> Labels)
{
    /// <summary>No areas, floors or labels.</summary>
    public static readonly RegistryOptions Empty = new([], [], []);
}
