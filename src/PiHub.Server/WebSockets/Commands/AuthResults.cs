using System.Text.Json.Serialization;

namespace PiHub.Server.WebSockets.Commands;

/// <summary><c>auth/current_user</c>, as Home Assistant answers it.</summary>
internal sealed record CurrentUserResult(
    string Id,
    string Name,
    bool IsOwner,
    bool IsAdmin,
    IReadOnlyList<string> GroupIds,
    IReadOnlyList<ProviderCredential> Credentials,
    IReadOnlyList<MfaModuleInfo> MfaModules,
    string AuthMethod);

/// <summary>One credential of the current user: its provider (PiHub has one provider per type, so no id).</summary>
internal sealed record ProviderCredential(string AuthProviderType, string? AuthProviderId);

/// <summary>One MFA module and whether the user has it on.</summary>
internal sealed record MfaModuleInfo(string Id, string Name, bool Enabled);

/// <summary>One entry of <c>auth/refresh_tokens</c>; times in Home Assistant's ISO format, null when unset.</summary>
internal sealed record RefreshTokenInfo(
    string Id,
    string? ClientId,
    string? ClientName,
    string? ClientIcon,
    string Type,
    string CreatedAt,
    bool IsCurrent,
    string? LastUsedAt,
    string? LastUsedIp,
    string? AuthProviderType,
    string? ExpireAt,
    string? TrustedNetwork);

/// <summary>Source-generated JSON for <see cref="AuthCommands"/> results (snake_case, as Home Assistant).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(CurrentUserResult))]
[JsonSerializable(typeof(List<RefreshTokenInfo>))]
[JsonSerializable(typeof(string))]
internal sealed partial class AuthResultsJsonContext : JsonSerializerContext
{
}
