using PiHub.Core.Auth.Flows;
using PiHub.Core.Auth.Model;
using PiHub.Core.Auth.Storage;

namespace PiHub.Core.Auth;

/// <summary>
/// The login flow's <c>mfa</c> step (Home Assistant's shape): inserted after a provider's login when the user has
/// TOTP enabled and the flow did not opt out (<see cref="LoginFlowContext.SkipMfa"/>).
/// </summary>
public sealed partial class AuthManager
{
    /// <summary>The step id Home Assistant uses for the second factor.</summary>
    public const string MfaStepId = "mfa";

    private static readonly IReadOnlyList<FormField> s_mfaSchema = [new FormField("code", "string")];

    /// <summary>
    /// When the provider's login needs a second factor, parks it on the flow and answers the <c>mfa</c> form;
    /// otherwise null and the login goes on.
    /// </summary>
    private LoginFlowResult? RequireMfaStep(PendingFlow flow, LoginStepOutcome outcome, bool isNew)
    {
        if (flow.Context.SkipMfa || flow.AwaitingMfa is not null || !IsTotpEnabled(outcome.UserId!)) return null;
        flow.AwaitingMfa = outcome;
        flow.StepId = MfaStepId;
        if (isNew && !_flows.TryAdd(flow.Context.FlowId, flow, flow.ExpiresAt, Now))
        {
            throw new AuthException(AuthErrorCodes.InvalidRequest,
                "Too many login flows are open on this hub; try again in a few minutes.");
        }

        return MfaForm(flow, errors: null);
    }

    /// <summary>
    /// Answers the <c>mfa</c> step: a current TOTP code (of a step not used before) or an unused recovery code,
    /// recorded in the store before the auth code is issued. A wrong code answers the form again with
    /// <c>invalid_code</c> and counts as a failed login; the <see cref="MaxMfaTries"/>th aborts the flow.
    /// </summary>
    private async Task<LoginFlowResult> ContinueMfaStepAsync(PendingFlow flow, IReadOnlyDictionary<string, string> input,
        CancellationToken cancellationToken)
    {
        var login = flow.AwaitingMfa!;
        input.TryGetValue("code", out var code);
        var accepted = false;
        await MutateAsync(data =>
        {
            // Checked and recorded under the write gate: two requests with the same code cannot both pass.
            var enrollment = data.Mfa.GetValueOrDefault(MfaEnrollment.IdFor(login.UserId!));
            var used = enrollment is { Enabled: true } ? TryUseSecondFactor(enrollment, code) : null;
            if (used is null) return null;
            accepted = true;
            return new AuthChangeSet($"MFA code used by user {login.UserId}").Put(used);
        }, cancellationToken).ConfigureAwait(false);

        if (accepted) return Conclude(flow, login, isNew: false);

        flow.MfaFailures++;
        RaiseLoginFailed(new LoginFailure(flow.Context.ClientAddress, flow.Username, AuthErrorCodes.InvalidCode));
        if (flow.MfaFailures < MaxMfaTries) return MfaForm(flow, AuthErrorCodes.InvalidCode);

        _flows.Remove(flow.Context.FlowId);
        return Result(flow, LoginFlowResultTypes.Abort) with
        {
            Reason = AuthErrorCodes.TooManyRetry,
            Message = $"{MaxMfaTries} wrong codes: this login was stopped. Start a new login and enter the current " +
                      "6-digit code from your authenticator app, or one of your recovery codes.",
        };
    }

    private static LoginFlowResult MfaForm(PendingFlow flow, string? errors) =>
        Result(flow, LoginFlowResultTypes.Form) with
        {
            StepId = MfaStepId,
            DataSchema = s_mfaSchema,
            Errors = errors is null
                ? new Dictionary<string, string>()
                : new Dictionary<string, string> { ["base"] = errors },
        };
}
