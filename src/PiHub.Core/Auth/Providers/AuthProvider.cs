using System.Net;
using PiHub.Core.Auth.Flows;
using PiHub.Core.Auth.Storage;

namespace PiHub.Core.Auth.Providers;

/// <summary>
/// A way to log in, keyed like Home Assistant's providers by (<see cref="Type"/>, <see cref="Id"/>).
/// A provider only proves who the caller is; it never creates users. <see cref="LoginFlowManager"/> turns its
/// <see cref="LoginStepKind.Authenticated"/> outcome into an auth code.
/// </summary>
public abstract class AuthProvider
{
    /// <summary>Registry key, e.g. <c>homeassistant</c> or <c>trusted_networks</c>.</summary>
    public abstract string Type { get; }

    /// <summary>Instance id when a type is configured more than once; null for the default.</summary>
    public virtual string? Id => null;

    /// <summary>Display name, e.g. "Home Assistant Local".</summary>
    public abstract string Name { get; }

    /// <summary>Whether the provider is offered to (and may run a flow for) this caller.</summary>
    public virtual bool IsAvailableTo(IPAddress? clientAddress) => true;

    /// <summary>The first step: usually a form, possibly an immediate login (trusted network bypass).</summary>
    public abstract ValueTask<LoginStepOutcome> StartAsync(LoginFlowContext context, AuthData data,
        CancellationToken cancellationToken);

    /// <summary>
    /// Handles the fields the client sent for <paramref name="stepId"/>. Wrong input answers the form
    /// again with errors; it never throws for bad credentials.
    /// </summary>
    public abstract ValueTask<LoginStepOutcome> HandleStepAsync(LoginFlowContext context, string stepId,
        IReadOnlyDictionary<string, string> input, AuthData data, CancellationToken cancellationToken);
}
