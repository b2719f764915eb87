using System.Text.Json;
using PiHub.Core.Hub;
using PiHub.Server.Endpoints;

namespace PiHub.Server.WebSockets.Commands;

/// <summary>
/// Hub commands: states, config, services, events, entity subscriptions, notifications. States,
/// config and services are written by hand (<see cref="HubWriter"/>, cached state JSON): they are
/// the large answers every client asks for on connect.
/// </summary>
internal static class HubCommands
{
    /// <summary>Event types a non-admin may subscribe to (as Home Assistant's allow-list).</summary>
    private static readonly HashSet<string> s_userEventTypes = new(
        [StateChangedEvent.Type, "call_service", Core.Hub.Domains.NotificationManager.UpdatedEvent, .. Core.Hub.Registries.RegistryUpdatedEvent.AllTypes],
        StringComparer.Ordinal);

    public static void Register(WsCommandTable table) => table
        .Add("supported_features", WsAccess.Read, SupportedFeatures)
        .Add("get_states", WsAccess.Read, static (c, id, _, _) => Reply(c, WsMessages.ResultRaw(id, c.Hub.States.AllJson().Span)))
        .Add("get_config", WsAccess.Read, static (c, id, _, _) => Reply(c, WsMessages.Result(id, w => HubWriter.WriteConfig(w, c.Hub))))
        .Add("get_services", WsAccess.Read, static (c, id, _, _) => Reply(c, WsMessages.Result(id, w => HubWriter.WriteServices(w, c.Hub.Services.All(), asObject: true))))
        .Add("subscribe_events", WsAccess.Read, SubscribeEvents, subscribes: true)
        .Add("unsubscribe_events", WsAccess.Read, UnsubscribeEvents)
        .Add("subscribe_entities", WsAccess.Read, SubscribeEntities, subscribes: true)
        .Add("call_service", WsAccess.Write, CallServiceAsync)
        .Add("fire_event", WsAccess.Admin, FireEvent)
        .Add("persistent_notification/get", WsAccess.Read, static (c, id, _, _) => Reply(c, WsMessages.Result(id, c.Hub.Notifications.WriteAll)));

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

        c.PostResult(id);
        return ValueTask.CompletedTask;
    }

    private static ValueTask SubscribeEvents(WsConnection c, int id, JsonElement message, CancellationToken _)
    {
        var eventType = message.OptionalString("event_type");
        if (!c.Principal!.IsAdmin && (eventType is null || !s_userEventTypes.Contains(eventType)))
        {
            throw new HubException(HubErrorCodes.Unauthorized,
                $"Only administrators can subscribe to {(eventType is null ? "all events" : eventType)}; other users can subscribe to {string.Join(", ", s_userEventTypes)}.");
        }

        c.PostResult(id);
        c.AddSubscription(id, c.Hub.Bus.Subscribe(eventType, e => c.PostEvent(id, e.JsonMemory, e.RaisedAt)));
        return ValueTask.CompletedTask;
    }

    private static ValueTask UnsubscribeEvents(WsConnection c, int id, JsonElement message, CancellationToken _)
    {
        var subscription = message.RequireInt("subscription");
        if (!c.RemoveSubscription(subscription)) throw new HubException(HubErrorCodes.NotFound, $"Subscription {subscription} not found.");
        c.PostResult(id);
        return ValueTask.CompletedTask;
    }

    private static ValueTask SubscribeEntities(WsConnection c, int id, JsonElement message, CancellationToken _)
    {
        HashSet<string>? filter = null;
        if (message.TryGetProperty("entity_ids", out var ids) && ids.ValueKind == JsonValueKind.Array)
        {
            filter = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in ids.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String) throw WsFields.Invalid("entity_ids must be a list of strings.");
                filter.Add(item.GetString()!);
            }
        }

        c.PostResult(id);
        var subscription = c.Hub.States.Observe(
            snapshot => c.PostEvent(id, EntityDiff.Initial(filter is null ? snapshot : snapshot.Where(s => filter.Contains(s.EntityId)))),
            change =>
            {
                if (filter is null || filter.Contains(change.EntityId)) c.PostEvent(id, EntityDiff.For(change), change.RaisedAt);
            });
        c.AddSubscription(id, subscription);
        return ValueTask.CompletedTask;
    }

    private static async ValueTask CallServiceAsync(WsConnection c, int id, JsonElement message, CancellationToken cancellationToken)
    {
        var domain = message.RequireString("domain");
        var service = message.RequireString("service");
        message.TryGetProperty("service_data", out var data);
        message.TryGetProperty("target", out var target);
        var returnResponse = message.TryGetProperty("return_response", out var rr) && rr.ValueKind == JsonValueKind.True;
        var context = HubContext.New(c.Principal!.User.Id, c.Hub.Time);
        await c.Hub.Services.CallAsync(domain, service, data, target, context, returnResponse, cancellationToken).ConfigureAwait(false);
        c.PostResult(id, new ServiceCallResult(EventContext.From(context), null), HubResultsJsonContext.Default.ServiceCallResult);
    }

    private static ValueTask FireEvent(WsConnection c, int id, JsonElement message, CancellationToken _)
    {
        var eventType = message.RequireString("event_type");
        if (eventType.Length is 0 or > 64) throw WsFields.Invalid("event_type must be 1 to 64 characters.");
        var data = message.TryGetProperty("event_data", out var d) && d.ValueKind != JsonValueKind.Null ? d : HubJson.EmptyObject;
        if (data.ValueKind != JsonValueKind.Object) throw WsFields.Invalid("event_data must be a JSON object.");
        var context = HubContext.New(c.Principal!.User.Id, c.Hub.Time);
        c.Hub.Bus.Fire(new CustomEvent(eventType, data, context, c.Hub.Time.GetUtcNow(), "REMOTE"));
        c.PostResult(id, new FireEventResult(EventContext.From(context)), HubResultsJsonContext.Default.FireEventResult);
        return ValueTask.CompletedTask;
    }
}
