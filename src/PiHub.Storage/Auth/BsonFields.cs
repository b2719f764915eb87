using System.Globalization;
using LiteDB;

namespace PiHub.Storage.Auth;

/// <summary>
/// Strict readers and writers for document fields. A missing or mistyped field throws
/// <see cref="InvalidDataException"/>: on start-up that counts as corruption, never as a default.
/// </summary>
internal static class BsonFields
{
    public static string Str(BsonDocument doc, string key) =>
        Get(doc, key) is { IsString: true } v ? v.AsString : throw Bad(key, "text");

    public static string? OptStr(BsonDocument doc, string key)
    {
        var v = Get(doc, key);
        return v.IsNull ? null : v.IsString ? v.AsString : throw Bad(key, "text or null");
    }

    public static bool Bool(BsonDocument doc, string key) =>
        Get(doc, key) is { IsBoolean: true } v ? v.AsBoolean : throw Bad(key, "boolean");

    public static long Long(BsonDocument doc, string key) =>
        Get(doc, key) is { IsInt64: true } v ? v.AsInt64 : throw Bad(key, "64-bit number");

    public static int Int(BsonDocument doc, string key) =>
        Get(doc, key) is { IsInt32: true } v ? v.AsInt32 : throw Bad(key, "32-bit number");

    // Times are kept as round-trip text: LiteDB's own DateTime drops the offset and sub-millisecond ticks.
    public static DateTimeOffset Time(BsonDocument doc, string key) => ParseTime(Str(doc, key), key);

    public static DateTimeOffset? OptTime(BsonDocument doc, string key) =>
        OptStr(doc, key) is { } s ? ParseTime(s, key) : null;

    public static BsonValue Time(DateTimeOffset value) => value.ToString("O", CultureInfo.InvariantCulture);

    public static BsonValue OptTime(DateTimeOffset? value) => value is { } v ? Time(v) : BsonValue.Null;

    public static BsonValue OptStr(string? value) => value is null ? BsonValue.Null : new BsonValue(value);

    public static BsonValue List(IReadOnlyList<string> values) => new BsonArray(values.Select(v => new BsonValue(v)));

    public static IReadOnlyList<string> StrList(BsonDocument doc, string key)
    {
        if (Get(doc, key) is not { IsArray: true } v) throw Bad(key, "list");
        return v.AsArray.Select(x => x.IsString ? x.AsString : throw Bad(key, "list of text")).ToArray();
    }

    private static BsonValue Get(BsonDocument doc, string key) =>
        doc.TryGetValue(key, out var v) ? v : throw new InvalidDataException($"field '{key}' is missing");

    private static DateTimeOffset ParseTime(string s, string key) =>
        DateTimeOffset.TryParseExact(s, "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
            ? t : throw Bad(key, "round-trip time");

    private static InvalidDataException Bad(string key, string expected) =>
        new($"field '{key}' is not a {expected}");
}
