using System.Net;

namespace PiHub.Core.Auth.Flows;

/// <summary>What a login flow knows about its caller. One instance lives as long as the flow.</summary>
public sealed class LoginFlowContext
{
    /// <summary>Creates the context of a new flow.</summary>
    public LoginFlowContext(string flowId, string clientId, string? redirectUri, IPAddress? clientAddress)
    {
        FlowId = flowId;
        ClientId = clientId;
        RedirectUri = redirectUri;
        ClientAddress = clientAddress;
    }

    /// <summary>The random id the client continues the flow with.</summary>
    public string FlowId { get; }

    /// <summary>The IndieAuth client id the flow was started for; the auth code is bound to it.</summary>
    public string ClientId { get; }

    /// <summary>Where the client will send the user after login (validated against the client id).</summary>
    public string? RedirectUri { get; }

    /// <summary>The resolved client address that started the flow; every step must come from it.</summary>
    public IPAddress? ClientAddress { get; }

    /// <summary>
    /// When true, <see cref="LoginFlowManager"/> skips the MFA step for this flow even if the user has a second factor enabled. A provider
    /// sets it when its own check is strong enough (a trusted network configured with <c>skip_mfa</c>).
    /// </summary>
    public bool SkipMfa { get; set; }

    /// <summary>Scratch space for the provider between steps (e.g. the users a trusted network offered).</summary>
    public Dictionary<string, string> Properties { get; } = new(StringComparer.Ordinal);

}
