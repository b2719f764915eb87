namespace PiHub.Server.Dashboard;

/// <summary>
/// One built dashboard file held in memory, with the compressed copies the build wrote beside it.
/// </summary>
/// <param name="Path">Path inside the build output, e.g. <c>index.html</c> or <c>assets/index-3f2a.js</c>.</param>
/// <param name="ContentType">The <c>Content-Type</c> header value.</param>
/// <param name="Raw">The file as built.</param>
/// <param name="Gzip">The gzip copy, or null when the build wrote none.</param>
/// <param name="Brotli">The Brotli copy, or null when the build wrote none.</param>
/// <param name="ETag">A strong validator derived from the content.</param>
internal sealed record DashboardFile(string Path, string ContentType, byte[] Raw, byte[]? Gzip, byte[]? Brotli, string ETag)
{
    /// <summary>
    /// Files under <c>assets/</c> carry a content hash in their names (Vite's output), so a browser may keep
    /// them for a year; every other file (the HTML pages) must be revalidated on each load.
    /// </summary>
    public bool Immutable => Path.StartsWith("assets/", StringComparison.Ordinal);
}
