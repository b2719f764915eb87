using System.Text.Json.Serialization;
using PiHub.Server.WebSockets;
using PiHub.Server.WebSockets.Commands;

namespace PiHub.Server.Users;

/// <summary>A user as <c>config/auth/list</c> shows it; <c>username</c> is null for a user without a password login.</summary>
internal sealed record UserInfo(
    string Id,
    string? Username,
    string Name,
    bool IsOwner,
    bool IsActive,
    bool LocalOnly,
    bool SystemGenerated,
    IReadOnlyList<string> GroupIds,
    IReadOnlyList<CredentialInfo> Credentials);

/// <summary>One credential of a user: its provider type.</summary>
internal sealed record CredentialInfo(string Type);

/// <summary><c>config/auth/create</c> and <c>config/auth/update</c>: <c>{"user": …}</c>.</summary>
internal sealed record UserResult(UserInfo User);

/// <summary>Source-generated JSON for <see cref="UserCommands"/> results (snake_case, as Home Assistant).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(List<UserInfo>))]
[JsonSerializable(typeof(UserResult))]
internal sealed partial class UserResultsJsonContext : JsonSerializerContext
{
}
