namespace PiHub.Core.Auth.Flows;

/// <summary>What a provider answers to one step of a login flow.</summary>
public sealed record LoginStepOutcome
{
    private LoginStepOutcome(LoginStepKind kind) => Kind = kind;

    /// <summary>Which kind of answer this is.</summary>
    public LoginStepKind Kind { get; }

    /// <summary>For forms: the step id (<c>init</c>, <c>mfa</c>, …).</summary>
    public string StepId { get; private init; } = "init";

    /// <summary>For forms: the fields to fill in.</summary>
    public IReadOnlyList<FormField> Schema { get; private init; } = [];

    /// <summary>For forms: errors by field, <c>base</c> for the form as a whole (e.g. <c>invalid_auth</c>).</summary>
    public IReadOnlyDictionary<string, string> Errors { get; private init; } = new Dictionary<string, string>();

    /// <summary>For <see cref="LoginStepKind.Authenticated"/>: the user who logged in.</summary>
    public string? UserId { get; private init; }

    /// <summary>For <see cref="LoginStepKind.Authenticated"/>: the credential used, if any.</summary>
    public string? CredentialId { get; private init; }

    /// <summary>
    /// For <see cref="LoginStepKind.Authenticated"/>: a new hash of the password just proven, when the stored one
    /// was written at a lower cost. <see cref="LoginFlowManager"/> stores it (best effort), so hash cost can rise over time.
    /// </summary>
    public string? UpgradedPasswordHash { get; private init; }

    /// <summary>
    /// For <see cref="LoginStepKind.Authenticated"/>: the CIDR of the trusted network that vouched for the caller;
    /// the refresh token issued from this login then only works from inside it.
    /// </summary>
    public string? TrustedNetwork { get; private init; }

    /// <summary>For <see cref="LoginStepKind.Abort"/>: Home Assistant's reason key.</summary>
    public string? Reason { get; private init; }

    /// <summary>A form, optionally with errors.</summary>
    public static LoginStepOutcome Form(string stepId, IReadOnlyList<FormField> schema,
        IReadOnlyDictionary<string, string>? errors = null) =>
        new(LoginStepKind.Form) { StepId = stepId, Schema = schema, Errors = errors ?? new Dictionary<string, string>() };

    /// <summary>The caller is <paramref name="userId"/>.</summary>
    public static LoginStepOutcome Authenticated(string userId, string? credentialId,
        string? upgradedPasswordHash = null, string? trustedNetwork = null) =>
        new(LoginStepKind.Authenticated)
        {
            UserId = userId,
            CredentialId = credentialId,
            UpgradedPasswordHash = upgradedPasswordHash,
            TrustedNetwork = trustedNetwork,
        };

    /// <summary>The flow ends with <paramref name="reason"/>.</summary>
    public static LoginStepOutcome Abort(string reason) => new(LoginStepKind.Abort) { Reason = reason };
}
