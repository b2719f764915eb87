using System.Text.Json.Serialization;

namespace PiHub.Server.Auth.Contracts;

/// <summary>A successful <c>/auth/token</c> answer.</summary>
public sealed record TokenResponse
{
    public required string AccessToken { get; init; }

    public string TokenType { get; init; } = "Bearer";

    /// <summary>Only on the authorization-code grant.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? RefreshToken { get; init; }

    public required int ExpiresIn { get; init; }

    /// <summary>Home Assistant adds the provider type the user logged in with.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? HaAuthProvider { get; init; }
}
