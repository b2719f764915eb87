namespace PiHub.Server.Auth.Contracts;

/// <summary>One entry of <c>/auth/providers</c>: <c>{"name","id","type"}</c> (id null for the default instance).</summary>
public sealed record ProviderInfo(string Name, string? Id, string Type);
