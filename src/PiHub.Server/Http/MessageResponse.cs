using System.Text.Json.Serialization;

namespace PiHub.Server.Http;

/// <summary>
/// The one REST error body: Home Assistant's <c>{"message": …}</c>, which HA clients read, plus PiHub's
/// stable <c>code</c> (an <see cref="ApiErrorCodes"/> value, or an auth code on the auth endpoints). Also
/// HA's plain <c>{"message"}</c> success answers, without a code. The one exception is <c>/auth/token</c>
/// and <c>/auth/revoke</c>, which answer OAuth's <c>{"error", "error_description"}</c> (RFC 6749).
/// </summary>
public sealed record MessageResponse(
    string Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Code = null);

/// <summary>The refusal of a banned address: the error body plus when the ban ends.</summary>
public sealed record BannedResponse(string Message, string Code, string BannedUntil);
