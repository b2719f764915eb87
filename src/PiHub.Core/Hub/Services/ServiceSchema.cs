using System.Text.Json;

namespace PiHub.Core.Hub.Services;

/// <summary>Checks service data against a <see cref="ServiceDescription"/>; every message names the field and the fix.</summary>
internal static class ServiceSchema
{
    public static IReadOnlyList<string> Validate(ServiceDescription description, JsonElement data, IReadOnlyList<string> targets)
    {
        var prefix = $"{description.Domain}.{description.Service}";
        if (data.ValueKind != JsonValueKind.Object)
        {
            throw Invalid($"Service data for {prefix} must be a JSON object, not {data.ValueKind}.");
        }

        var entityIds = new List<string>(targets);
        foreach (var property in data.EnumerateObject())
        {
            if (description.TargetsEntities && property.NameEquals("entity_id"))
            {
                entityIds.AddRange(ReadEntityIds(prefix, property.Value));
                continue;
            }

            var field = description.Fields.FirstOrDefault(f => f.Name == property.Name)
                ?? throw Invalid($"{prefix} does not take \"{property.Name}\". It takes: {Accepted(description)}.");
            if (!Matches(field.Type, property.Value))
            {
                throw Invalid($"{prefix}: \"{field.Name}\" must be {Describe(field.Type)}, not {property.Value.ValueKind}.");
            }
        }

        foreach (var field in description.Fields.Where(f => f.Required))
        {
            if (!data.TryGetProperty(field.Name, out _))
            {
                throw Invalid($"{prefix} needs \"{field.Name}\" ({Describe(field.Type)}).");
            }
        }

        foreach (var id in entityIds) EntityId.Validate(id);
        return entityIds.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>Reads <c>entity_id</c> of <c>target</c>: a string, a comma-separated string or a list of strings.</summary>
    public static IEnumerable<string> ReadEntityIds(string prefix, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return value.GetString()!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            case JsonValueKind.Array:
                var ids = new List<string>();
                foreach (var item in value.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String) throw Invalid($"{prefix}: entity_id must list strings.");
                    ids.Add(item.GetString()!);
                }

                return ids;
            default:
                throw Invalid($"{prefix}: entity_id must be a string or a list of strings.");
        }
    }

    private static bool Matches(ServiceFieldType type, JsonElement value) => type switch
    {
        ServiceFieldType.String => value.ValueKind == JsonValueKind.String,
        ServiceFieldType.Boolean => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        ServiceFieldType.Integer => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        ServiceFieldType.Number => value.ValueKind == JsonValueKind.Number,
        ServiceFieldType.Object => value.ValueKind == JsonValueKind.Object,
        ServiceFieldType.EntityIds => value.ValueKind is JsonValueKind.String or JsonValueKind.Array,
        _ => false,
    };

    private static string Describe(ServiceFieldType type) => type switch
    {
        ServiceFieldType.String => "a string",
        ServiceFieldType.Boolean => "true or false",
        ServiceFieldType.Integer => "a whole number",
        ServiceFieldType.Number => "a number",
        ServiceFieldType.Object => "a JSON object",
        _ => "an entity id or a list of them",
    };

    private static string Accepted(ServiceDescription d)
    {
        var names = d.Fields.Select(f => f.Name).ToList();
        if (d.TargetsEntities) names.Insert(0, "entity_id");
        return names.Count == 0 ? "no fields" : string.Join(", ", names);
    }

    private static HubException Invalid(string message) => new(HubErrorCodes.ServiceValidationError, message);
}
