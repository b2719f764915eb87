using LiteDB;

namespace PiHub.Storage.Auth;

/// <summary>
/// The meta document, written in every commit: generation, the set checksum, and the
/// descriptions of the last few changes, so that a recovery can name what a restored
/// snapshot lacks when the damaged file still yields its meta document.
/// </summary>
internal sealed record StoreMeta(long Generation, long Count, string SetSum, DateTimeOffset WrittenAt,
    IReadOnlyList<string> Recent)
{
    public const string Collection = "meta";
    public const int FormatVersion = 1;
    public const int RecentKept = 32;

    public BsonDocument ToDocument() => new()
    {
        ["_id"] = "meta",
        ["format"] = FormatVersion,
        ["generation"] = Generation,
        ["count"] = Count,
        ["set_sum"] = SetSum,
        ["written"] = BsonFields.Time(WrittenAt),
        ["recent"] = BsonFields.List(Recent),
    };

    public static StoreMeta FromDocument(BsonDocument doc)
    {
        var format = BsonFields.Int(doc, "format");
        if (format != FormatVersion) throw new InvalidDataException($"store format {format} is not {FormatVersion}");
        return new StoreMeta(BsonFields.Long(doc, "generation"), BsonFields.Long(doc, "count"),
            BsonFields.Str(doc, "set_sum"), BsonFields.Time(doc, "written"), BsonFields.StrList(doc, "recent"));
    }

    /// <summary>"generation 12 (2026-11-26 18:00:01Z): create owner alice" entries, newest last.</summary>
    public IReadOnlyList<string> WithChange(long generation, DateTimeOffset at, string description) =>
        [.. Recent.Skip(Math.Max(0, Recent.Count - RecentKept + 1)), $"generation {generation} ({at:u}): {description}"];
}
