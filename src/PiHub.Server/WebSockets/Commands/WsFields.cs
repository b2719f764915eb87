using System.Text.Json;
using PiHub.Core.Hub;

namespace PiHub.Server.WebSockets.Commands;

/// <summary>
/// Reads a command's fields. A missing or mistyped field throws an <c>invalid_format</c>
/// <see cref="HubException"/> naming it, which the dispatcher turns into the error result.
/// </summary>
internal static class WsFields
{
    /// <summary>A required string field.</summary>
    public static string RequireString(this JsonElement message, string name) =>
        message.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()!
            : throw Invalid($"Field \"{name}\" is required and must be a string.");

    /// <summary>An optional string field; null when absent or null.</summary>
    public static string? OptionalString(this JsonElement message, string name)
    {
        if (!message.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        return v.ValueKind == JsonValueKind.String ? v.GetString() : throw Invalid($"Field \"{name}\" must be a string.");
    }

    /// <summary>A required whole number.</summary>
    public static int RequireInt(this JsonElement message, string name) =>
        message.TryGetProperty(name, out var v) && v.TryGetInt32(out var n)
            ? n
            : throw Invalid($"Field \"{name}\" is required and must be a whole number.");

    /// <summary>An optional boolean; null when absent or null.</summary>
    public static bool? OptionalBool(this JsonElement message, string name) =>
        !message.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean()
        : throw Invalid($"Field \"{name}\" must be true or false.");

    /// <summary>The refusal of a malformed field, with a sentence saying what is expected.</summary>
    public static HubException Invalid(string message) => new(HubErrorCodes.InvalidFormat, message);
}
