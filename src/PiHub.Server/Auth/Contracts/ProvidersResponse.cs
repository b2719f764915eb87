namespace PiHub.Server.Auth.Contracts;

/// <summary>The <c>/auth/providers</c> answer.</summary>
public sealed record ProvidersResponse(IReadOnlyList<ProviderInfo> Providers, bool PreselectRememberMe);
