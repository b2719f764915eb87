using Microsoft.Extensions.Logging;
using PiHub.Core.Hub.Domains;
using PiHub.Core.Hub.Registries;
using PiHub.Core.Hub.Services;

namespace PiHub.Core.Hub;

/// <summary>The hub core: states, events, services and the built-in domains, wired together.</summary>
public sealed class HubCore
{
    public HubCore(HubInfo info, IHubStore store, IEnumerable<InputBooleanOptions> inputBooleans, TimeProvider time, ILoggerFactory? loggers = null)
    {
        Info = info;
        Time = time;
        Bus = new EventBus(loggers?.CreateLogger<EventBus>());
        States = new StateMachine(Bus, time);
        Services = new ServiceRegistry(States, Bus, time);
        Notifications = new NotificationManager(store, Bus, time);
        Registries = new HubRegistries(store, Bus, time);
        HomeAssistantDomain.Setup(Services);
        Notifications.Setup(Services);
        new InputBooleanDomain(States, store, inputBooleans).Setup(Services, Registries);
    }

    public HubInfo Info { get; }

    public TimeProvider Time { get; }

    public EventBus Bus { get; }

    public StateMachine States { get; }

    public ServiceRegistry Services { get; }

    public NotificationManager Notifications { get; }

    /// <summary>Entities, devices, areas, floors and labels; started by the composition root once every source registered.</summary>
    public HubRegistries Registries { get; }

    /// <summary>Domains that have services or entities, for <c>components</c> in the config.</summary>
    public IReadOnlyList<string> Components() =>
        Services.All().Select(s => s.Domain).Concat(States.All().Select(s => s.Domain))
            .Append("api").Append("websocket_api").Append("auth").Append("onboarding")
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
}
