using System.Text.Json.Serialization;

namespace PiHub.Server.WebSockets.Commands;

/// <summary>One active ban of <c>pihub/bans/list</c>; times in Home Assistant's ISO format.</summary>
internal sealed record BanInfo(string Address, string BannedAt, string BannedUntil, int Level, string Reason);

/// <summary>Source-generated JSON for <see cref="BanCommands"/> results (snake_case).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(List<BanInfo>))]
internal sealed partial class BanResultsJsonContext : JsonSerializerContext
{
}
