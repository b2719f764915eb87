using PiHub.Core.Hub.Services;

namespace PiHub.Core.Hub.Domains;

/// <summary>
/// <c>homeassistant.turn_on/turn_off/toggle</c>: group the target entities by domain and call
/// that domain's service of the same name, in the same context.
/// </summary>
public static class HomeAssistantDomain
{
    public const string Domain = "homeassistant";

    public static void Setup(ServiceRegistry services)
    {
        foreach (var service in new[] { "turn_on", "turn_off", "toggle" })
        {
            services.Register(
                new ServiceDescription(Domain, service, $"Generic {service.Replace('_', ' ')}", $"Generic service to {service.Replace('_', ' ')} devices of any domain.", [], TargetsEntities: true),
                (call, ct) => DispatchAsync(services, call, ct));
        }
    }

    private static async Task DispatchAsync(ServiceRegistry services, ServiceCall call, CancellationToken cancellationToken)
    {
        if (call.EntityIds.Count == 0)
        {
            throw new HubException(HubErrorCodes.ServiceValidationError, $"{Domain}.{call.Service} needs an entity_id (a string or a list).");
        }

        var byDomain = call.EntityIds.GroupBy(EntityId.DomainOf, StringComparer.Ordinal).ToList();
        var unsupported = byDomain.Where(g => g.Key == Domain || !services.Has(g.Key, call.Service)).Select(g => g.Key).ToList();
        if (unsupported.Count > 0)
        {
            throw new HubException(HubErrorCodes.ServiceValidationError,
                $"{Domain}.{call.Service} cannot reach {string.Join(", ", unsupported)}: that domain has no {call.Service} service.");
        }

        foreach (var group in byDomain)
        {
            var data = System.Text.Json.JsonSerializer.SerializeToElement(group.ToArray(), HubCoreJsonContext.Default.StringArray);
            var target = System.Text.Json.JsonSerializer.SerializeToElement(new Dictionary<string, System.Text.Json.JsonElement> { ["entity_id"] = data }, HubCoreJsonContext.Default.DictionaryStringJsonElement);
            await services.CallAsync(group.Key, call.Service, HubJson.EmptyObject, target, call.Context, cancellationToken).ConfigureAwait(false);
        }
    }
}
