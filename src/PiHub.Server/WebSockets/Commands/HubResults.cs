using System.Text.Json;
using System.Text.Json.Serialization;
using PiHub.Core.Hub;

namespace PiHub.Server.WebSockets.Commands;

/// <summary>An event's or call's context as Home Assistant writes it: <c>{id, parent_id, user_id}</c>.</summary>
internal sealed record EventContext(string Id, string? ParentId, string? UserId)
{
    public static EventContext From(HubContext context) => new(context.Id, context.ParentId, context.UserId);
}

/// <summary><c>call_service</c>: the context of the call; <c>response</c> is null (PiHub's services return nothing).</summary>
internal sealed record ServiceCallResult(EventContext Context, JsonElement? Response);

/// <summary><c>fire_event</c>: the context of the fired event.</summary>
internal sealed record FireEventResult(EventContext Context);

/// <summary>Source-generated JSON for <see cref="HubCommands"/> results (snake_case, as Home Assistant).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ServiceCallResult))]
[JsonSerializable(typeof(FireEventResult))]
internal sealed partial class HubResultsJsonContext : JsonSerializerContext
{
}
