using System.Text.Json.Serialization;

namespace PiHub.Server.Auth.Contracts;

/// <summary>Home Assistant's error body for non-OAuth endpoints: <c>{"message": …}</c>, plus PiHub's stable <c>code</c>.</summary>
public sealed record MessageResponse(
    string Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Code = null);
