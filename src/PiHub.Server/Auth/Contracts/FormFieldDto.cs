namespace PiHub.Server.Auth.Contracts;

/// <summary>One <c>data_schema</c> entry of a login-flow form.</summary>
public sealed record FormFieldDto(string Name, string Type, bool Required);
