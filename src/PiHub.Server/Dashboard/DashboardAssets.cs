using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;

namespace PiHub.Server.Dashboard;

/// <summary>
/// The dashboard's built files, embedded in the pihub assembly by <c>PiHub.Dashboard.targets</c>
/// (resources named <c>dashboard/&lt;path&gt;</c>) and read into memory once: about 100 KB.
/// </summary>
internal sealed class DashboardAssets
{
    private const string Prefix = "dashboard/";

    private readonly FrozenDictionary<string, DashboardFile> _files;

    private DashboardAssets(FrozenDictionary<string, DashboardFile> files) => _files = files;

    /// <summary>The file at <paramref name="path"/> (no leading slash), if the build produced it.</summary>
    public bool TryGet(string path, out DashboardFile file) => _files.TryGetValue(path, out file!);

    /// <summary>Reads every embedded dashboard file of <paramref name="assembly"/>.</summary>
    public static DashboardAssets Load(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var blobs = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith(Prefix, StringComparison.Ordinal)) continue;
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            blobs[name[Prefix.Length..]] = copy.ToArray();
        }

        var files = new Dictionary<string, DashboardFile>(StringComparer.Ordinal);
        foreach (var (path, raw) in blobs)
        {
            if (path.EndsWith(".gz", StringComparison.Ordinal) || path.EndsWith(".br", StringComparison.Ordinal)) continue;
            var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(raw).AsSpan(0, 12)) + "\"";
            files[path] = new DashboardFile(path, ContentTypeOf(path), raw,
                blobs.GetValueOrDefault(path + ".gz"), blobs.GetValueOrDefault(path + ".br"), etag);
        }

        return new DashboardAssets(files.ToFrozenDictionary(StringComparer.Ordinal));
    }

    private static string ContentTypeOf(string path) => System.IO.Path.GetExtension(path) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".json" => "application/json",
        ".txt" => "text/plain; charset=utf-8",
        ".png" => "image/png",
        ".woff2" => "font/woff2",
        _ => "application/octet-stream",
    };
}
