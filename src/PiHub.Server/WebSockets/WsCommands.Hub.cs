using System.Text.Json;
using PiHub.Core.Hub;

namespace PiHub.Server.WebSockets;

/// <summary>Hub commands: states, config, services, events, entity subscriptions, notifications.</summary>
internal static partial class WsCommands
{
    /// <summary>Event types a non-admin may subscribe to (as Home Assistant's allow-list).</summary>
    private static readonly HashSet<string> s_userEventTypes = new(
        [StateChangedEvent.Type, "call_service", Core.Hub.Domains.NotificationManager.UpdatedEvent, .. Core.Hub.Registries.RegistryUpdatedEvent.AllTypes],
        StringComparer.Ordinal);

    private static void AddHubCommands(Dictionary<string, (WsAccess, WsCommandHandler)> table)
    {
        table["supported_features"] = (WsAccess.Read, SupportedFeatures);
        table["get_states"] = (WsAccess.Read, static (c, id, _, _) => Reply(c, WsMessages.ResultRaw(id, c.Hub.States.AllJson().Span)));
        table["get_config"] = (WsAccess.Read, static (c, id, _, _) => Reply(c, WsMessages.Result(id, w => Api.HubWriter.WriteConfig(w, c.Hub))));
        table["get_services"] = (WsAccess.Read, static (c, id, _, _) => Reply(c, WsMessages.Result(id, w => Api.HubWriter.WriteServices(w, c.Hub.Services.All(), asObject: true))));
        table["subscribe_events"] = (WsAccess.Read, SubscribeEvents);
        table["unsubscribe_events"] = (WsAccess.Read, UnsubscribeEvents);
        table["subscribe_entities"] = (WsAccess.Read, SubscribeEntities);
        table["call_service"] = (WsAccess.Write, CallServiceAsync);
        table["fire_event"] = (WsAccess.Admin, FireEvent);
        table["persistent_notification/get"] = (WsAccess.Read, static (c, id, _, _) => Reply(c, WsMessages.Result(id, c.Hub.Notifications.WriteAll)));
    }

    private static ValueTask Reply(WsConnection connection, byte[] message)
    {
        connection.Post(message);
        return ValueTask.CompletedTask;
    }

    private static ValueTask SupportedFeatures(WsConnection c, int id, JsonElement message, CancellationToken _)
    {
        if (message.TryGetProperty("features", out var features) && features.ValueKind == JsonValueKind.Object
            && features.TryGetProperty("coalesce_messages", out var coalesce) && coalesce.ValueKind == JsonValueKind.Number)
        {
            c.Outbox.Coalesce = coalesce.GetInt32() == 1;
        }

        return Reply(c, WsMessages.Result(id));
    }

    private static ValueTask SubscribeEvents(WsConnection c, int id, JsonElement message, CancellationToken _)
    {
        var eventType = OptionalString(message, "event_type");
        if (!c.Principal!.IsAdmin && (eventType is null || !s_userEventTypes.Contains(eventType)))
        {
            return Reply(c, WsMessages.Error(id, "unauthorized",
                $"Only administrators can subscribe to {(eventType is null ? "all events" : eventType)}; other users can subscribe to {string.Join(", ", s_userEventTypes)}."));
        }

        c.Post(WsMessages.Result(id));
        c.AddSubscription(id, c.Hub.Bus.Subscribe(eventType, e => c.PostEvent(id, e.JsonMemory)));
        return ValueTask.CompletedTask;
    }

    private static ValueTask UnsubscribeEvents(WsConnection c, int id, JsonElement message, CancellationToken _)
    {
        var subscription = RequireInt(message, "subscription");
        return Reply(c, c.RemoveSubscription(subscription)
            ? WsMessages.Result(id)
            : WsMessages.Error(id, "not_found", $"Subscription {subscription} not found."));
    }

    private static ValueTask SubscribeEntities(WsConnection c, int id, JsonElement message, CancellationToken _)
    {
        HashSet<string>? filter = null;
        if (message.TryGetProperty("entity_ids", out var ids) && ids.ValueKind == JsonValueKind.Array)
        {
            filter = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in ids.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String) return Reply(c, WsMessages.Error(id, "invalid_format", "entity_ids must be a list of strings."));
                filter.Add(item.GetString()!);
            }
        }

        c.Post(WsMessages.Result(id));
        var subscription = c.Hub.States.Observe(
            snapshot => c.PostEvent(id, EntityDiff.Initial(filter is null ? snapshot : snapshot.Where(s => filter.Contains(s.EntityId)))),
            change =>
            {
                if (filter is null || filter.Contains(change.EntityId)) c.PostEvent(id, EntityDiff.For(change));
            });
        c.AddSubscription(id, subscription);
        return ValueTask.CompletedTask;
    }

    private static async ValueTask CallServiceAsync(WsConnection c, int id, JsonElement message, CancellationToken cancellationToken)
    {
        var domain = RequireString(message, "domain");
        var service = RequireString(message, "service");
        message.TryGetProperty("service_data", out var data);
        message.TryGetProperty("target", out var target);
        var returnResponse = message.TryGetProperty("return_response", out var rr) && rr.ValueKind == JsonValueKind.True;
        var context = HubContext.New(c.Principal!.User.Id, c.Hub.Time);
        await c.Hub.Services.CallAsync(domain, service, data, target, context, returnResponse, cancellationToken).ConfigureAwait(false);
        c.Post(WsMessages.Result(id, w =>
        {
            w.WriteStartObject();
            WsMessages.WriteContext(w, context);
            w.WriteNull("response");
            w.WriteEndObject();
        }));
    }

    private static ValueTask FireEvent(WsConnection c, int id, JsonElement message, CancellationToken _)
    {
        var eventType = RequireString(message, "event_type");
        if (eventType.Length is 0 or > 64) return Reply(c, WsMessages.Error(id, "invalid_format", "event_type must be 1 to 64 characters."));
        var data = message.TryGetProperty("event_data", out var d) && d.ValueKind != JsonValueKind.Null ? d : HubJson.EmptyObject;
        if (data.ValueKind != JsonValueKind.Object) return Reply(c, WsMessages.Error(id, "invalid_format", "event_data must be a JSON object."));
        var context = HubContext.New(c.Principal!.User.Id, c.Hub.Time);
        c.Hub.Bus.Fire(new CustomEvent(eventType, data, context, c.Hub.Time.GetUtcNow(), "REMOTE"));
        return Reply(c, WsMessages.Result(id, w =>
        {
            w.WriteStartObject();
            WsMessages.WriteContext(w, context);
            w.WriteEndObject();
        }));
    }
}
