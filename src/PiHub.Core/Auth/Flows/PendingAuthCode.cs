namespace PiHub.Core.Auth.Flows;

/// <summary>An auth code waiting to be exchanged at <c>/auth/token</c>: single use, bound to its client.</summary>
internal sealed record PendingAuthCode(
    string ClientId,
    string UserId,
    string? CredentialId,
    string ProviderType,
    string? TrustedNetwork);
