using System.Text.Json;
using PiHub.Core.Hub.Registries;
using PiHub.Core.Hub.Services;

namespace PiHub.Core.Hub.Domains;

/// <summary>
/// <c>input_boolean</c> helpers defined in config: turn_on, turn_off, toggle. The state is
/// saved in the hub store on every change and restored at start-up (unless <c>initial</c> is set).
/// </summary>
public sealed class InputBooleanDomain
{
    public const string Domain = "input_boolean";
    private const string RestoreCollection = "restore_state";

    private readonly StateMachine _states;
    private readonly IHubStore _store;
    private readonly Dictionary<string, InputBooleanOptions> _helpers;

    public InputBooleanDomain(StateMachine states, IHubStore store, IEnumerable<InputBooleanOptions> helpers)
    {
        _states = states;
        _store = store;
        _helpers = helpers.ToDictionary(h => $"{Domain}.{h.ObjectId}", StringComparer.Ordinal);
    }

    /// <summary>Creates the entities (restoring saved states), registers the services and the entities' registry entries.</summary>
    public void Setup(ServiceRegistry services, HubRegistries registries)
    {
        var saved = _store.LoadAll(RestoreCollection);
        foreach (var (entityId, helper) in _helpers)
        {
            EntityId.Validate(entityId);
            var on = helper.Initial ?? (saved.TryGetValue(entityId, out var s) && s == "\"on\"");
            _states.Set(entityId, on ? "on" : "off", Attributes(helper));
            // unique_id is the config id, as Home Assistant does for YAML helpers: a new name or area keeps the entry (and its id).
            registries.Register(new RegistryEntry(entityId, Domain, helper.ObjectId)
            {
                OriginalName = helper.Name,
                OriginalIcon = helper.Icon,
                AreaId = helper.Area,
                Labels = helper.Labels ?? [],
            });
        }

        foreach (var service in new[] { "turn_on", "turn_off", "toggle" })
        {
            services.Register(
                new ServiceDescription(Domain, service, service.Replace('_', ' '), $"{service.Replace('_', ' ')} an input boolean.", [], TargetsEntities: true),
                (call, ct) => HandleAsync(call, service, ct));
        }
    }

    private async Task HandleAsync(ServiceCall call, string service, CancellationToken cancellationToken)
    {
        if (call.EntityIds.Count == 0)
        {
            throw new HubException(HubErrorCodes.ServiceValidationError, $"{Domain}.{service} needs an entity_id, e.g. {{\"entity_id\": \"{_helpers.Keys.FirstOrDefault() ?? "input_boolean.porch"}\"}}.");
        }

        foreach (var entityId in call.EntityIds)
        {
            if (!_helpers.TryGetValue(entityId, out var helper))
            {
                throw new HubException(HubErrorCodes.NotFound, $"{entityId} is not an input_boolean defined in the config. Defined: {string.Join(", ", _helpers.Keys)}.");
            }

            var current = _states.Get(entityId)?.Value == "on";
            var on = service switch { "turn_on" => true, "turn_off" => false, _ => !current };
            // Persist first: a change the store refused must not show as done.
            await _store.PutAsync(RestoreCollection, entityId, on ? "\"on\"" : "\"off\"", cancellationToken).ConfigureAwait(false);
            _states.Set(entityId, on ? "on" : "off", Attributes(helper), call.Context);
        }
    }

    private static JsonElement Attributes(InputBooleanOptions helper)
    {
        var json = HubJson.ToBytes(helper, static (w, h) =>
        {
            w.WriteStartObject();
            w.WriteBoolean("editable", false);
            if (h.Icon is not null) w.WriteString("icon", h.Icon);
            w.WriteString("friendly_name", h.Name);
            w.WriteEndObject();
        });
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }
}
