using System.Text.RegularExpressions;

namespace PiHub.Core.Hub;

/// <summary>Entity ids are <c>domain.object_id</c>: lowercase letters, digits and single underscores.</summary>
public static partial class EntityId
{
    /// <summary>True for a well-formed id such as <c>light.kitchen_2</c>.</summary>
    public static bool IsValid(string? entityId) => entityId is not null && entityId.Length <= 255 && Pattern().IsMatch(entityId);

    /// <summary>Throws a <see cref="HubException"/> that names the bad id and the rule.</summary>
    public static void Validate(string? entityId)
    {
        if (!IsValid(entityId))
        {
            throw new HubException(HubErrorCodes.InvalidEntityId,
                $"Invalid entity ID \"{entityId}\": use domain.object_id with lowercase letters, digits and single underscores, e.g. light.kitchen.");
        }
    }

    /// <summary>The part before the dot.</summary>
    public static string DomainOf(string entityId)
    {
        var dot = entityId.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? entityId : entityId[..dot];
    }

    /// <summary>True for a valid domain or service name (the same character rules).</summary>
    public static bool IsValidSlug(string? slug) => slug is not null && slug.Length <= 64 && SlugPattern().IsMatch(slug);

    [GeneratedRegex("^(?!.+__)(?!_)[0-9a-z_]+(?<!_)\\.(?!_)[0-9a-z_]+(?<!_)$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    [GeneratedRegex("^(?!.+__)(?!_)[0-9a-z_]+(?<!_)$", RegexOptions.CultureInvariant)]
    private static partial Regex SlugPattern();
}
