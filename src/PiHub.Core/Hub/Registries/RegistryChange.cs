using System.Text.Json;

namespace PiHub.Core.Hub.Registries;

/// <summary>One change to a registry: what happened to which item, and for updates the old values.</summary>
/// <param name="Action"><c>create</c>, <c>update</c> or <c>remove</c>, as the <c>*_registry_updated</c> events say.</param>
/// <param name="Stamp">The item's stamp after the change (before it, for a removal).</param>
/// <param name="Changes">For updates: <c>{field: old value}</c> of every field that changed.</param>
internal sealed record RegistryChange(string Action, RegistryStamp Stamp, JsonElement? Changes = null)
{
    public const string Create = "create";
    public const string Update = "update";
    public const string Remove = "remove";
}
