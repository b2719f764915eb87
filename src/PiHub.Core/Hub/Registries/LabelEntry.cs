namespace PiHub.Core.Hub.Registries;

/// <summary>A label from the config (<c>labels: [{id, name, color, icon, description}]</c>).</summary>
public sealed record LabelEntry(string LabelId, string Name)
{
    /// <summary>A colour name such as <c>indigo</c> or a hex colour such as <c>#ff8800</c>.</summary>
    public string? Color { get; init; }

    public string? Icon { get; init; }

    public string? Description { get; init; }
}
