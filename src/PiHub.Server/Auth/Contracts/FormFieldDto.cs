using System.Text.Json.Serialization;

namespace PiHub.Server.Auth.Contracts;

/// <summary>
/// One <c>data_schema</c> entry: <c>{"name","type","required"}</c>, plus <c>options</c> for <c>select</c> fields as
/// Home Assistant serialises them: a list of <c>[value, label]</c> pairs, e.g. <c>[["&lt;user id&gt;","Alice"]]</c>.
/// </summary>
public sealed record FormFieldDto(string Name, string Type, bool Required)
{
    /// <summary>The choices of a <c>select</c> field; absent for other types.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string[]>? Options { get; init; }
}
