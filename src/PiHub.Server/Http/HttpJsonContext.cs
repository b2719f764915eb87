using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PiHub.Server.Http;

/// <summary>Source-generated JSON for the REST error bodies (snake_case, as Home Assistant).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(MessageResponse))]
[JsonSerializable(typeof(BannedResponse))]
internal sealed partial class HttpJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The context the responses use: quotes and non-ASCII text in messages are written as they are (JSON API
    /// responses, never embedded in HTML), so curl users read plain sentences.
    /// </summary>
    public static HttpJsonContext Web { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
