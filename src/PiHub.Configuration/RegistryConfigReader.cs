using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using PiHub.Core.Hub;
using PiHub.Core.Hub.Domains;
using PiHub.Core.Hub.Registries;

namespace PiHub.Configuration;

/// <summary>
/// Reads <c>areas:</c>, <c>floors:</c> and <c>labels:</c> (lists of entries) and checks every reference
/// to them: an area's <c>floor</c>, an entity's <c>area</c> and <c>labels</c>. Errors name the key, the
/// value and what is accepted, like every other setting.
/// </summary>
internal static partial class RegistryConfigReader
{
    public static RegistryOptions Read(IConfiguration configuration, string source, IReadOnlyList<InputBooleanOptions> inputBooleans)
    {
        var floors = ReadList(configuration, "floors", source, "`- id: ground` with `name: Ground floor` and `level: 0`", static r => new FloorEntry(r.Id, r.Name)
        {
            Level = r.Reader.RawOrNull("level") is null ? null : r.Reader.Int("level", 0, -100, 200),
            Icon = Icon(r.Reader),
        });
        var labels = ReadList(configuration, "labels", source, "`- id: lights` with `name: Lights` and `color: amber`", static r => new LabelEntry(r.Id, r.Name)
        {
            Color = Color(r.Reader),
            Icon = Icon(r.Reader),
            Description = r.Reader.RawOrNull("description"),
        });
        var areas = ReadList(configuration, "areas", source, "`- id: kitchen` with `name: Kitchen` and `floor: ground`", r => new AreaEntry(r.Id, r.Name)
        {
            FloorId = Reference(r.Reader, "floor", floors.Select(f => f.FloorId), "floors"),
            Icon = Icon(r.Reader),
        });

        foreach (var helper in inputBooleans)
        {
            var reader = new ConfigReader(configuration, $"input_boolean:{helper.ObjectId}", source);
            if (helper.Area is { } area && areas.All(a => a.AreaId != area))
            {
                throw reader.Bad("area", area, Accepted(areas.Select(a => a.AreaId), "areas"));
            }

            foreach (var label in (helper.Labels ?? []).Where(l => labels.All(x => x.LabelId != l)))
            {
                throw reader.Bad("labels", label, Accepted(labels.Select(l => l.LabelId), "labels"));
            }
        }

        return new RegistryOptions(areas, floors, labels);
    }

    private sealed record Item(ConfigReader Reader, string Id, string Name);

    private static List<T> ReadList<T>(IConfiguration configuration, string section, string source, string example, Func<Item, T> read)
    {
        var list = configuration.GetSection(section);
        var children = list.GetChildren().ToList();
        if (!string.IsNullOrWhiteSpace(list.Value) || children.Any(c => !int.TryParse(c.Key, out _)))
        {
            throw new ConfigException(
                $"{section} in {source} must be a list of entries such as {example} (see the commented example in /etc/pihub/pihub.yaml). Fix it and start PiHub again.");
        }

        var result = new List<T>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var child in children.OrderBy(c => int.Parse(c.Key, System.Globalization.CultureInfo.InvariantCulture)))
        {
            var reader = new ConfigReader(configuration, $"{section}:{child.Key}", source);
            var id = reader.RawOrNull("id")
                ?? throw new ConfigException($"{reader.Key("id")} is missing in {source}. Give every entry of {section} an id of lowercase letters, digits and underscores, as in {example}, and start PiHub again.");
            if (!EntityId.IsValidSlug(id)) throw reader.Bad("id", id, "lowercase letters, digits and single underscores, such as ground_floor");
            if (!seen.Add(id)) throw reader.Bad("id", id, $"an id not used by another entry of {section}");
            result.Add(read(new Item(reader, id, reader.String("name", id.Replace('_', ' ')))));
            reader.RefuseUnknownKeys();
        }

        return result;
    }

    private static string? Reference(ConfigReader reader, string key, IEnumerable<string> defined, string section)
    {
        var value = reader.RawOrNull(key);
        if (value is not null && !defined.Contains(value, StringComparer.Ordinal)) throw reader.Bad(key, value, Accepted(defined, section));
        return value;
    }

    private static string Accepted(IEnumerable<string> ids, string section)
    {
        var list = ids.ToList();
        return list.Count == 0
            ? $"an id defined under {section}: (none is defined yet; add one, see the commented example in /etc/pihub/pihub.yaml)"
            : $"an id defined under {section}: {string.Join(", ", list)}";
    }

    // Home Assistant's rule for icons: "prefix:name", e.g. mdi:sofa.
    private static string? Icon(ConfigReader reader)
    {
        var value = reader.RawOrNull("icon");
        if (value is not null && !IconPattern().IsMatch(value)) throw reader.Bad("icon", value, "an icon in the form prefix:name, such as mdi:sofa");
        return value;
    }

    private static string? Color(ConfigReader reader)
    {
        var value = reader.RawOrNull("color");
        if (value is not null && !ColorPattern().IsMatch(value))
        {
            throw reader.Bad("color", value, "a colour name such as red, indigo or light-green, or a hex colour such as #ff8800");
        }

        return value;
    }

    [GeneratedRegex("^[a-z0-9_-]+:[a-z0-9_-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex IconPattern();

    [GeneratedRegex("^(#[0-9a-fA-F]{6}|[a-z]+(-[a-z]+)*)$", RegexOptions.CultureInvariant)]
    private static partial Regex ColorPattern();
}
