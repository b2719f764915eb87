using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using PiHub.Core.Hub;
using PiHub.Server.WebSockets;
using PiHub.Server.WebSockets.Commands;

namespace PiHub.Server.Registries;

/// <summary>
/// Registry commands: <c>config/{entity,device,area,floor,label}_registry/list</c>, the entity
/// registry's <c>list_for_display</c> and <c>get</c>. Read-only, open to every user, as in Home Assistant.
/// Each answer is built from one <see cref="Core.Hub.Registries.RegistrySnapshot"/>, so an entity's
/// <c>device_id</c> always names a device of the same moment.
/// </summary>
internal static class RegistryCommands
{
    public static void Register(WsCommandTable table) => table
        .Add("config/entity_registry/list", WsAccess.Read, static (c, id, _, _) =>
        {
            var s = c.Hub.Registries.Snapshot();
            return Reply(c, id, s.Entities.Select(e => EntityRegistryItem.From(e, s.DeviceIdOf(e.Item))).ToList(), RegistryResultsJsonContext.Default.ListEntityRegistryItem);
        })
        .Add("config/entity_registry/list_for_display", WsAccess.Read, static (c, id, _, _) =>
            Reply(c, id, EntitiesForDisplay.From(c.Hub.Registries.Snapshot()), RegistryResultsJsonContext.Default.EntitiesForDisplay))
        .Add("config/entity_registry/get", WsAccess.Read, GetEntity)
        .Add("config/device_registry/list", WsAccess.Read, static (c, id, _, _) =>
            Reply(c, id, c.Hub.Registries.Snapshot().Devices.Select(DeviceRegistryItem.From).ToList(), RegistryResultsJsonContext.Default.ListDeviceRegistryItem))
        .Add("config/area_registry/list", WsAccess.Read, static (c, id, _, _) =>
            Reply(c, id, c.Hub.Registries.Snapshot().Areas.Select(AreaRegistryItem.From).ToList(), RegistryResultsJsonContext.Default.ListAreaRegistryItem))
        .Add("config/floor_registry/list", WsAccess.Read, static (c, id, _, _) =>
            Reply(c, id, c.Hub.Registries.Snapshot().Floors.Select(FloorRegistryItem.From).ToList(), RegistryResultsJsonContext.Default.ListFloorRegistryItem))
        .Add("config/label_registry/list", WsAccess.Read, static (c, id, _, _) =>
            Reply(c, id, c.Hub.Registries.Snapshot().Labels.Select(LabelRegistryItem.From).ToList(), RegistryResultsJsonContext.Default.ListLabelRegistryItem));

    private static ValueTask Reply<T>(WsConnection c, int id, T result, JsonTypeInfo<T> type)
    {
        c.PostResult(id, result, type);
        return ValueTask.CompletedTask;
    }

    private static ValueTask GetEntity(WsConnection c, int id, JsonElement message, CancellationToken _)
    {
        var entityId = message.RequireString("entity_id");
        var snapshot = c.Hub.Registries.Snapshot();
        if (snapshot.Entity(entityId) is not { } entry)
        {
            throw new HubException(HubErrorCodes.NotFound,
                $"Entity not found: {entityId} has no registry entry. Only entities PiHub defines (helpers from the config, its own hardware) have one; " +
                "states posted over POST /api/states do not. config/entity_registry/list lists the entries.");
        }

        return Reply(c, id, EntityRegistryDetail.From(entry, snapshot.DeviceIdOf(entry.Item)), RegistryResultsJsonContext.Default.EntityRegistryDetail);
    }
}
