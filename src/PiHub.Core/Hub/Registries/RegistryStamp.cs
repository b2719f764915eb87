using System.Globalization;
using System.Text.Json;

namespace PiHub.Core.Hub.Registries;

/// <summary>
/// What the hub store keeps of one registry item: its id, <c>created_at</c>, <c>modified_at</c>
/// and the listed fields last seen (so start-up can tell what the config changed, and name the
/// old values in <c>changes</c>).
/// </summary>
internal sealed record RegistryStamp(string Id, DateTimeOffset CreatedAt, DateTimeOffset ModifiedAt, JsonElement Fields)
{
    public string ToJson() => System.Text.Encoding.UTF8.GetString(HubJson.ToBytes(this, static (w, s) =>
    {
        w.WriteStartObject();
        w.WriteString("id", s.Id);
        w.WriteString("created_at", s.CreatedAt.ToString("O", CultureInfo.InvariantCulture));
        w.WriteString("modified_at", s.ModifiedAt.ToString("O", CultureInfo.InvariantCulture));
        w.WritePropertyName("fields");
        s.Fields.WriteTo(w);
        w.WriteEndObject();
    }));

    /// <summary>Reads a stored stamp; false for a damaged one (the item then counts as new, never fatal).</summary>
    public static bool TryParse(string json, out RegistryStamp stamp)
    {
        stamp = null!;
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            var fields = root.GetProperty("fields");
            if (fields.ValueKind != JsonValueKind.Object) return false;
            stamp = new RegistryStamp(
                root.GetProperty("id").GetString() ?? throw new FormatException("id is null"),
                root.GetProperty("created_at").GetDateTimeOffset(),
                root.GetProperty("modified_at").GetDateTimeOffset(),
                fields.Clone());
            return true;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return false;
        }
    }
}
