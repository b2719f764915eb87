namespace PiHub.Core.Auth.Flows;

/// <summary>
/// One answer of <c>/auth/login_flow</c>, in the terms of Home Assistant's data-entry flow:
/// a form to fill in, a finished login whose <see cref="Result"/> is the auth code, or an abort.
/// </summary>
public sealed record LoginFlowResult
{
    /// <summary><c>form</c>, <c>create_entry</c> or <c>abort</c>.</summary>
    public required string Type { get; init; }

    /// <summary>The flow's id.</summary>
    public required string FlowId { get; init; }

    /// <summary>Provider type, first half of HA's <c>handler</c> pair.</summary>
    public required string HandlerType { get; init; }

    /// <summary>Provider id, second half of HA's <c>handler</c> pair (null for the default instance).</summary>
    public string? HandlerId { get; init; }

    /// <summary>For forms: the step id.</summary>
    public string? StepId { get; init; }

    /// <summary>For forms: the fields.</summary>
    public IReadOnlyList<FormField> DataSchema { get; init; } = [];

    /// <summary>For forms: errors by field name.</summary>
    public IReadOnlyDictionary<string, string> Errors { get; init; } = new Dictionary<string, string>();

    /// <summary>For <c>create_entry</c>: the auth code to exchange at <c>/auth/token</c>.</summary>
    public string? Result { get; init; }

    /// <summary>For <c>create_entry</c>: the provider's display name.</summary>
    public string? Title { get; init; }

    /// <summary>For <c>abort</c>: the reason key.</summary>
    public string? Reason { get; init; }

    /// <summary>
    /// For <c>abort</c>: a sentence for people saying what happened and what to do next; on a <c>form</c> refused with
    /// <c>invalid_code</c>, why a right code may have been refused (the hub's clock), when that may be so (PiHub addition).
    /// </summary>
    public string? Message { get; init; }
}
