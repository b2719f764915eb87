using System.Text.Json.Serialization;

namespace PiHub.Server.Auth.Contracts;

/// <summary>
/// A login-flow answer in Home Assistant's data-entry-flow shape: a <c>form</c> (with <c>step_id</c>,
/// <c>data_schema</c>, <c>errors</c>), a <c>create_entry</c> whose <c>result</c> is the auth code, or an <c>abort</c>.
/// </summary>
public sealed record LoginFlowResponse
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Version { get; init; }

    public required string Type { get; init; }

    public required string FlowId { get; init; }

    /// <summary><c>[type, id]</c>.</summary>
    public required string?[] Handler { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? StepId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<FormFieldDto>? DataSchema { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Errors { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Title { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Result { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Reason { get; init; }

    /// <summary>
    /// For <c>abort</c>: what happened and what to do next, for people; on a <c>form</c> refused with
    /// <c>invalid_code</c> while the hub's clock is not synchronised, that the clock may be wrong (PiHub addition).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Message { get; init; }

    /// <summary>Always present and null, as Home Assistant sends it.</summary>
    public IReadOnlyDictionary<string, string>? DescriptionPlaceholders { get; init; }
}
