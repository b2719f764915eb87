using System.Text.Json.Serialization;
using PiHub.Server.WebSockets;
using PiHub.Server.WebSockets.Commands;

namespace PiHub.Server.Webhooks;

/// <summary><c>pihub/webhook/create</c>: the new id and its path on the hub.</summary>
internal sealed record WebhookCreated(string WebhookId, string Url);

/// <summary>One webhook of <c>pihub/webhook/list</c>: whether it is signed, never the secret.</summary>
internal sealed record WebhookInfo(string WebhookId, string Name, string Url, bool LocalOnly, bool Signed, string? CreatedBy, string CreatedAt);

/// <summary>Source-generated JSON for <see cref="WebhookCommands"/> results (snake_case).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(WebhookCreated))]
[JsonSerializable(typeof(List<WebhookInfo>))]
internal sealed partial class WebhookResultsJsonContext : JsonSerializerContext
{
}
