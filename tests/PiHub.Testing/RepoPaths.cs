namespace PiHub.Testing;

/// <summary>Paths inside the repository, found from the test's output folder.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> s_root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PiHub.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException("PiHub.sln not found above " + AppContext.BaseDirectory);
    });

    public static string Root => s_root.Value;

    /// <summary>The Node.js test scripts and their node_modules (scripts/test.sh installs them with npm ci).</summary>
    public static string NodeDir => Path.Combine(Root, "tests", "PiHub.EndToEnd.Tests", "node");

    public static string InRepo(params string[] parts) => Path.Combine([Root, .. parts]);
}
