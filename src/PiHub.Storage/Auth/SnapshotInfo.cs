using System.Globalization;

namespace PiHub.Storage.Auth;

/// <summary>A snapshot file; its name records the generation and the time it was taken.</summary>
internal sealed record SnapshotInfo(string Path, long Generation, DateTimeOffset TakenAt)
{
    private const string TimeFormat = "yyyyMMdd'T'HHmmssfff'Z'";

    public static string FileNameFor(long generation, DateTimeOffset at) =>
        string.Create(CultureInfo.InvariantCulture,
            $"auth-g{generation:D10}-{at.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture)}.db");

    /// <summary>Parses a snapshot file name; false for anything else in the folder (temp files, strays).</summary>
    public static bool TryParse(string path, out SnapshotInfo info)
    {
        info = null!;
        var name = System.IO.Path.GetFileName(path);
        var parts = name.Split('-');
        if (parts.Length != 3 || parts[0] != "auth" || !parts[1].StartsWith('g') || !parts[2].EndsWith(".db", StringComparison.Ordinal))
        {
            return false;
        }

        if (!long.TryParse(parts[1].AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var generation)
            || !DateTime.TryParseExact(parts[2][..^3], TimeFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at))
        {
            return false;
        }

        info = new SnapshotInfo(path, generation, new DateTimeOffset(at, TimeSpan.Zero));
        return true;
    }
}
