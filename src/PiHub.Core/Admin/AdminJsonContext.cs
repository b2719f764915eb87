using System.Text.Json.Serialization;

namespace PiHub.Core.Admin;

/// <summary>The error body of the admin socket and of <c>pihub-cli --json</c> on failure.</summary>
public sealed record AdminError(string Error, string Message, int ExitCode);

/// <summary>Source-generated JSON for the admin socket and <c>pihub-cli --json</c> (snake_case, nulls left out).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(AdminRequest))]
[JsonSerializable(typeof(AdminResult))]
[JsonSerializable(typeof(AdminError))]
public sealed partial class AdminJsonContext : JsonSerializerContext;
