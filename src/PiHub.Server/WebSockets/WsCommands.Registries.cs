using System.Text.Json;
using PiHub.Core.Hub.Registries;

namespace PiHub.Server.WebSockets;

/// <summary>
/// Registry commands: <c>config/{entity,device,area,floor,label}_registry/list</c>, the entity
/// registry's <c>list_for_display</c> and <c>get</c>. Read-only, open to every user, as in Home Assistant.
/// </summary>
internal static partial class WsCommands
{
    private static void AddRegistryCommands(Dictionary<string, (WsAccess, WsCommandHandler)> table)
    {
        table["config/entity_registry/list"] = (WsAccess.Read, static (c, id, _, _) => ReplyRegistry(c, id, static (w, s) =>
            RegistryJson.WriteList(w, s.Entities, (w2, e) => RegistryJson.WriteEntity(w2, e, s.DeviceIdOf(e.Item)))));
        table["config/entity_registry/list_for_display"] = (WsAccess.Read, static (c, id, _, _) => ReplyRegistry(c, id, RegistryJson.WriteEntitiesForDisplay));
        table["config/entity_registry/get"] = (WsAccess.Read, GetRegistryEntity);
        table["config/device_registry/list"] = (WsAccess.Read, static (c, id, _, _) => ReplyRegistry(c, id, static (w, s) => RegistryJson.WriteList(w, s.Devices, RegistryJson.WriteDevice)));
        table["config/area_registry/list"] = (WsAccess.Read, static (c, id, _, _) => ReplyRegistry(c, id, static (w, s) => RegistryJson.WriteList(w, s.Areas, RegistryJson.WriteArea)));
        table["config/floor_registry/list"] = (WsAccess.Read, static (c, id, _, _) => ReplyRegistry(c, id, static (w, s) => RegistryJson.WriteList(w, s.Floors, RegistryJson.WriteFloor)));
        table["config/label_registry/list"] = (WsAccess.Read, static (c, id, _, _) => ReplyRegistry(c, id, static (w, s) => RegistryJson.WriteList(w, s.Labels, RegistryJson.WriteLabel)));
    }

    private static ValueTask ReplyRegistry(WsConnection c, int id, Action<Utf8JsonWriter, RegistrySnapshot> write)
    {
        var snapshot = c.Hub.Registries.Snapshot();
        return Reply(c, WsMessages.Result(id, w => write(w, snapshot)));
    }

    private static ValueTask GetRegistryEntity(WsConnection c, int id, JsonElement message, CancellationToken _)
    {
        var entityId = RequireString(message, "entity_id");
        var snapshot = c.Hub.Registries.Snapshot();
        if (snapshot.Entity(entityId) is not { } entry)
        {
            return Reply(c, WsMessages.Error(id, "not_found",
                $"Entity not found: {entityId} has no registry entry. Only entities PiHub defines (helpers from the config, its own hardware) have one; " +
                "states posted over POST /api/states do not. config/entity_registry/list lists the entries."));
        }

        return Reply(c, WsMessages.Result(id, w => RegistryJson.WriteEntity(w, entry, snapshot.DeviceIdOf(entry.Item), extended: true)));
    }
}
