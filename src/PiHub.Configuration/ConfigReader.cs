using System.Net;
using Microsoft.Extensions.Configuration;

namespace PiHub.Configuration;

/// <summary>
/// Reads typed values from one configuration section, refusing unknown keys and bad values
/// with a sentence that names the full key, the value and what is accepted.
/// </summary>
internal sealed class ConfigReader(IConfiguration root, string section, string source)
{
    private readonly IConfigurationSection _section = root.GetSection(section);
    private readonly HashSet<string> _known = new(StringComparer.OrdinalIgnoreCase);

    public string Key(string name) => $"{section.Replace(':', '.')}.{name}";

    public string? RawOrNull(string name)
    {
        _known.Add(name);
        var value = _section[name];
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    public string String(string name, string fallback) => RawOrNull(name) ?? fallback;

    public int Int(string name, int fallback, int min, int max)
    {
        var raw = RawOrNull(name);
        if (raw is null) return fallback;
        if (!int.TryParse(raw, out var value) || value < min || value > max)
        {
            throw Bad(name, raw, $"a whole number from {min} to {max}");
        }

        return value;
    }

    public double Double(string name, double fallback, double min, double max)
    {
        var raw = RawOrNull(name);
        if (raw is null) return fallback;
        if (!double.TryParse(raw, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw Bad(name, raw, $"a number from {min} to {max}");
        }

        return value;
    }

    public bool Bool(string name, bool fallback)
    {
        var raw = RawOrNull(name);
        if (raw is null) return fallback;
        return raw.ToLowerInvariant() switch
        {
            "true" or "yes" or "on" => true,
            "false" or "no" or "off" => false,
            _ => throw Bad(name, raw, "true or false"),
        };
    }

    public string OneOf(string name, string fallback, params string[] accepted)
    {
        var raw = RawOrNull(name);
        if (raw is null) return fallback;
        return accepted.FirstOrDefault(a => string.Equals(a, raw, StringComparison.OrdinalIgnoreCase))
            ?? throw Bad(name, raw, string.Join(", ", accepted));
    }

    /// <summary>A list of CIDR networks (a bare address means that one address).</summary>
    public IReadOnlyList<IPNetwork>? Networks(string name)
    {
        _known.Add(name);
        var list = _section.GetSection(name);
        var items = list.GetChildren().Select(c => c.Value).Where(v => !string.IsNullOrWhiteSpace(v)).ToList();
        if (items.Count == 0 && !string.IsNullOrWhiteSpace(list.Value)) items = [.. list.Value!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
        if (items.Count == 0) return list.Exists() ? [] : null;
        return [.. items.Select(item => ParseNetwork(name, item!))];
    }

    /// <summary>One CIDR network (a bare address means that one address), or null when the key is absent.</summary>
    public IPNetwork? Network(string name) => RawOrNull(name) is { } raw ? ParseNetwork(name, raw) : null;

    /// <summary>
    /// A list of strings: a YAML list, or a single scalar (one item; handy for <c>PIHUB__</c> variables).
    /// Null when the key is absent.
    /// </summary>
    public IReadOnlyList<string>? Strings(string name)
    {
        _known.Add(name);
        var list = _section.GetSection(name);
        if (!string.IsNullOrWhiteSpace(list.Value)) return [list.Value.Trim()];
        var items = list.GetChildren().Select(c => c.Value?.Trim()).ToList();
        if (items.Count == 0) return null;
        if (items.Any(string.IsNullOrEmpty)) throw Bad(name, "(an empty or nested item)", "a list of plain strings");
        return items!;
    }

    private IPNetwork ParseNetwork(string name, string item)
    {
        var text = item.Trim();
        if (!text.Contains('/', StringComparison.Ordinal) && IPAddress.TryParse(text, out var single))
        {
            text = $"{single}/{(single.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 128 : 32)}";
        }

        if (!IPNetwork.TryParse(text, out var network) || !IPAddress.TryParse(text.Split('/')[0], out var written) || !network.BaseAddress.Equals(written))
        {
            throw Bad(name, item, "CIDR networks such as 192.168.1.0/24 or fd00::/8 (the host bits must be zero)");
        }

        return network;
    }

    /// <summary>Call after reading every key: refuses keys this section does not know.</summary>
    public void RefuseUnknownKeys()
    {
        foreach (var child in _section.GetChildren())
        {
            if (!_known.Contains(child.Key))
            {
                throw new ConfigException(
                    $"Unknown setting {Key(child.Key)} in {source}. The {section} section accepts: {string.Join(", ", _known.Order())}. Fix or remove the key and start PiHub again.");
            }
        }
    }

    public ConfigException Bad(string name, string? value, string accepted) =>
        new($"Invalid value \"{value}\" for {Key(name)} in {source}. Accepted: {accepted}. Fix it and start PiHub again.");
}
