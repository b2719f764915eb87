namespace PiHub.Core.Hub.Registries;

/// <summary>A registry item with what the registry keeps for it across restarts.</summary>
/// <param name="Item">The item as its source defines it now.</param>
/// <param name="Id">The registry id: random for entities and devices, the config id for areas, floors and labels.</param>
/// <param name="CreatedAt">When the registry first saw the item.</param>
/// <param name="ModifiedAt">When one of its listed fields last changed.</param>
public sealed record Registered<T>(T Item, string Id, DateTimeOffset CreatedAt, DateTimeOffset ModifiedAt);
