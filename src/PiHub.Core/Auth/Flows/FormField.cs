namespace PiHub.Core.Auth.Flows;

/// <summary>One field of a login-flow form, as Home Assistant's <c>data_schema</c> lists it.</summary>
/// <param name="Name">Field name, e.g. <c>username</c>.</param>
/// <param name="Type">Field type, e.g. <c>string</c> or <c>select</c>.</param>
/// <param name="Required">Whether the client must send it.</param>
public sealed record FormField(string Name, string Type, bool Required = true)
{
    /// <summary>For <c>select</c> fields: the choices as (value, label) pairs, e.g. (user id, user name).</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? Options { get; init; }
}
