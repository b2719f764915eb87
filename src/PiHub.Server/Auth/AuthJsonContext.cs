using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using PiHub.Server.Auth.Contracts;

namespace PiHub.Server.Auth;

/// <summary>
/// Source-generated JSON metadata for every auth and onboarding payload (snake_case, as Home Assistant).
/// A type missing here would be a 500 at run time in the trimmed AOT build.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DictionaryKeyPolicy = JsonKnownNamingPolicy.Unspecified,
    NumberHandling = JsonNumberHandling.Strict,
    AllowTrailingCommas = false,
    ReadCommentHandling = JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(OAuthErrorResponse))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(ProvidersResponse))]
[JsonSerializable(typeof(LoginFlowRequest))]
[JsonSerializable(typeof(LoginFlowResponse))]
[JsonSerializable(typeof(OnboardingUserRequest))]
[JsonSerializable(typeof(OnboardingUserResponse))]
[JsonSerializable(typeof(List<OnboardingStepStatus>))]
[JsonSerializable(typeof(Dictionary<string, JsonElement>))]
public sealed partial class AuthJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The context the endpoints use: the same metadata, but quotes and non-ASCII text in messages are
    /// written as they are (JSON API responses, never embedded in HTML), so curl users read plain sentences.
    /// </summary>
    public static AuthJsonContext Web { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.Strict,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
