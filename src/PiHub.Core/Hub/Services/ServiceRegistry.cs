using System.Collections.Concurrent;
using System.Text.Json;

namespace PiHub.Core.Hub.Services;

/// <summary>
/// Every service the hub offers. A call is checked against the service's schema, runs,
/// and answers with the states it changed (found by the call's context id, as Home Assistant does).
/// </summary>
public sealed class ServiceRegistry
{
    /// <summary>Home Assistant's translation key for a <c>return_response</c> the service cannot honour.</summary>
    public const string NoResponseTranslationKey = "service_does_not_support_response";

    private readonly ConcurrentDictionary<(string Domain, string Service), (ServiceDescription Description, ServiceHandler Handler)> _services = new();
    private readonly StateMachine _states;
    private readonly EventBus _bus;
    private readonly TimeProvider _time;

    public ServiceRegistry(StateMachine states, EventBus bus, TimeProvider time)
    {
        _states = states;
        _bus = bus;
        _time = time;
    }

    public void Register(ServiceDescription description, ServiceHandler handler)
    {
        if (!EntityId.IsValidSlug(description.Domain) || !EntityId.IsValidSlug(description.Service))
        {
            throw new ArgumentException($"Invalid service name {description.Domain}.{description.Service}.", nameof(description));
        }

        _services[(description.Domain, description.Service)] = (description, handler);
    }

    public bool Has(string domain, string service) => _services.ContainsKey((domain, service));

    /// <summary>Every service, ordered by domain then name.</summary>
    public IReadOnlyList<ServiceDescription> All() =>
        _services.Values.Select(v => v.Description)
            .OrderBy(d => d.Domain, StringComparer.Ordinal).ThenBy(d => d.Service, StringComparer.Ordinal).ToList();

    /// <summary>
    /// Calls a service. <paramref name="target"/> is WebSocket's <c>target</c> object (may be undefined).
    /// Throws <see cref="HubException"/> (service_not_found, service_validation_error, …).
    /// </summary>
    public Task<IReadOnlyList<State>> CallAsync(string domain, string service, JsonElement data, JsonElement target, HubContext context, CancellationToken cancellationToken = default) =>
        CallAsync(domain, service, data, target, context, returnResponse: false, cancellationToken);

    /// <summary>
    /// Calls a service; <paramref name="returnResponse"/> is the caller's <c>return_response</c>. No PiHub
    /// service returns a response, so asking for one is refused before anything runs, with Home
    /// Assistant's <c>service_does_not_support_response</c> validation error.
    /// </summary>
    public async Task<IReadOnlyList<State>> CallAsync(string domain, string service, JsonElement data, JsonElement target, HubContext context, bool returnResponse, CancellationToken cancellationToken = default)
    {
        if (!_services.TryGetValue((domain, service), out var entry))
        {
            var known = _services.Keys.Where(k => k.Domain == domain).Select(k => k.Service).Order(StringComparer.Ordinal).ToList();
            var hint = known.Count > 0
                ? $"The {domain} domain offers: {string.Join(", ", known)}."
                : "GET /api/services lists the services this hub offers.";
            throw new HubException(HubErrorCodes.ServiceNotFound, $"Service {domain}.{service} not found. {hint}");
        }

        if (returnResponse)
        {
            // Home Assistant's exact words and translation fields: clients match on the key.
            throw new HubException(HubErrorCodes.ServiceValidationError,
                "Validation error: An action which does not return responses can't be called with return_response=True")
            {
                TranslationDomain = "homeassistant",
                TranslationKey = NoResponseTranslationKey,
                TranslationPlaceholders = new Dictionary<string, string>(StringComparer.Ordinal) { ["return_response"] = "return_response=True" },
            };
        }

        if (data.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null) data = HubJson.EmptyObject;
        var targets = new List<string>();
        if (target.ValueKind == JsonValueKind.Object && target.TryGetProperty("entity_id", out var ids))
        {
            targets.AddRange(ServiceSchema.ReadEntityIds($"{domain}.{service}", ids));
        }
        else if (target.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.Object))
        {
            throw new HubException(HubErrorCodes.ServiceValidationError, $"{domain}.{service}: target must be an object such as {{\"entity_id\": \"light.kitchen\"}}.");
        }

        var entityIds = ServiceSchema.Validate(entry.Description, data, targets);
        _bus.Fire(new CallServiceEvent(domain, service, data, target, context, _time.GetUtcNow()));
        await entry.Handler(new ServiceCall(domain, service, data.Clone(), entityIds, context), cancellationToken).ConfigureAwait(false);
        return _states.All().Where(s => s.Context.Id == context.Id).ToList();
    }
}
