using PiHub.Core.Auth.Mfa;
using PiHub.Core.Auth.Providers;

namespace PiHub.Core.Auth.Flows;

/// <summary>A login flow between two requests.</summary>
internal sealed class PendingFlow
{
    public PendingFlow(LoginFlowContext context, AuthProvider provider, string stepId, DateTimeOffset expiresAt)
    {
        Context = context;
        Provider = provider;
        StepId = stepId;
        ExpiresAt = expiresAt;
    }

    public LoginFlowContext Context { get; }

    public AuthProvider Provider { get; }

    /// <summary>The step the client is expected to answer next.</summary>
    public string StepId { get; set; }

    public DateTimeOffset ExpiresAt { get; }

    /// <summary>
    /// The provider's login, held back while the user answers the <c>mfa</c> step; null when no MFA step is pending.
    /// </summary>
    public LoginStepOutcome? AwaitingMfa { get; set; }

    /// <summary>The module asking for the second factor while <see cref="AwaitingMfa"/> is set.</summary>
    public MfaModule? MfaModule { get; set; }

    /// <summary>The username the provider's step was answered with, for the failure log of a wrong code.</summary>
    public string? Username { get; set; }

    /// <summary>Wrong MFA codes in this flow; the flow aborts at <see cref="PiHub.Core.Auth.Mfa.MfaModule.MaxTries"/>.</summary>
    public int MfaFailures { get; set; }

    /// <summary>One step at a time per flow: a second concurrent post waits rather than racing.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);
}
