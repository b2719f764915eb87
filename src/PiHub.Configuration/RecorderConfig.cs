using Microsoft.Extensions.Configuration;
using PiHub.Core.Hub;
using PiHub.Core.Recorder;

namespace PiHub.Configuration;

/// <summary>
/// The <c>recorder:</c> section: <c>enabled</c>, <c>purge_keep_days</c>, <c>commit_interval</c>
/// (seconds), <c>include: {domains, entities}</c> and <c>exclude: {domains, entities, event_types}</c>.
/// </summary>
internal static class RecorderConfig
{
    public const string Section = "recorder";

    public static RecorderOptions Read(IConfiguration configuration, string source)
    {
        var reader = new ConfigReader(configuration, Section, source);
        var options = new RecorderOptions
        {
            Enabled = reader.Bool("enabled", true),
            PurgeKeepDays = reader.Int("purge_keep_days", RecorderOptions.DefaultPurgeKeepDays, 1, 3650),
            CommitInterval = TimeSpan.FromSeconds(reader.Int("commit_interval", RecorderOptions.DefaultCommitIntervalSeconds, 1, 3600)),
        };
        var include = List(configuration, reader, "include", source, ["domains", "entities"]);
        var exclude = List(configuration, reader, "exclude", source, ["domains", "entities", "event_types"]);
        reader.RefuseUnknownKeys();
        return options with
        {
            Filter = new RecorderFilter(include["domains"], include["entities"], exclude["domains"], exclude["entities"], exclude["event_types"]),
        };
    }

    /// <summary>Reads one of <c>include</c> / <c>exclude</c>: lists of domains, entity ids and event types, each checked.</summary>
    private static Dictionary<string, IReadOnlyList<string>> List(IConfiguration configuration, ConfigReader recorder, string name, string source, string[] keys)
    {
        var raw = recorder.RawOrNull(name);
        if (raw is not null)
        {
            throw recorder.Bad(name, raw, $"a section with {string.Join(", ", keys.Select(k => $"{k}: [...]"))}, e.g. `{name}: {{domains: [sensor]}}`");
        }

        var section = new ConfigReader(configuration, $"{Section}:{name}", source);
        var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            var items = section.Strings(key) ?? [];
            foreach (var item in items)
            {
                var valid = key switch
                {
                    "domains" => EntityId.IsValidSlug(item),
                    "entities" => EntityId.IsValid(item),
                    _ => item.Length is > 0 and <= 64 && !item.Any(char.IsWhiteSpace),
                };
                if (!valid)
                {
                    throw section.Bad(key, item, key switch
                    {
                        "domains" => "domain names such as sensor or input_boolean (lowercase letters, digits, underscores)",
                        "entities" => "entity ids such as sensor.kitchen_temperature",
                        _ => "event types such as call_service (1 to 64 characters, no spaces)",
                    });
                }
            }

            result[key] = items;
        }

        section.RefuseUnknownKeys();
        return result;
    }
}
