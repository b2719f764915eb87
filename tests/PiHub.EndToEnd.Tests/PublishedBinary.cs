using PiHub.Testing;

namespace PiHub.EndToEnd.Tests;

/// <summary>Where scripts/publish.sh puts each build, overridable with PIHUB_BINARY_* variables.</summary>
public static class PublishedBinary
{
    /// <summary>
    /// The binary of a publish flavour: linux-x64 (AOT), linux-x64-jit (trimmed single-file JIT), linux-arm64 (AOT).
    /// When it has not been published the test is ignored (failed under scripts/test.sh): see <see cref="Prerequisites"/>.
    /// </summary>
    public static string PathOf(string flavour)
    {
        var variable = "PIHUB_BINARY_" + flavour.Replace("linux-", "", StringComparison.Ordinal).Replace('-', '_').ToUpperInvariant();
        var path = Environment.GetEnvironmentVariable(variable) ?? RepoPaths.InRepo("artifacts", "publish", flavour, "pihub");
        Prerequisites.Require(File.Exists(path),
            $"{path} does not exist: publish it with scripts/publish.sh {flavour.Replace("-jit", " --jit", StringComparison.Ordinal)}, or set {variable}.");
        return path;
    }
}
