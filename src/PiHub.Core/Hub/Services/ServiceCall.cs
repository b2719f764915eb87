using System.Text.Json;

namespace PiHub.Core.Hub.Services;

/// <summary>A validated call: the data as sent and the entity ids it targets (from <c>entity_id</c> or <c>target</c>).</summary>
public sealed record ServiceCall(string Domain, string Service, JsonElement Data, IReadOnlyList<string> EntityIds, HubContext Context)
{
    /// <summary>A string field, or null when absent.</summary>
    public string? GetString(string name) =>
        Data.ValueKind == JsonValueKind.Object && Data.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}

/// <summary>Runs a service call. Throws <see cref="HubException"/> for refusals a caller can fix.</summary>
public delegate Task ServiceHandler(ServiceCall call, CancellationToken cancellationToken);
