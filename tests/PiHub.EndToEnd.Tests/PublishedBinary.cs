using PiHub.Testing;

namespace PiHub.EndToEnd.Tests;

/// <summary>Where scripts/publish.sh puts each build, overridable with PIHUB_BINARY_* variables.</summary>
public static class PublishedBinary
{
    /// <summary>The binary of a publish flavour: linux-x64 (AOT), linux-x64-jit (trimmed single-file JIT), linux-arm64 (AOT).</summary>
    public static string PathOf(string flavour)
    {
        var variable = "PIHUB_BINARY_" + flavour.Replace("linux-", "", StringComparison.Ordinal).Replace('-', '_').ToUpperInvariant();
        var path = Environment.GetEnvironmentVariable(variable) ?? RepoPaths.InRepo("artifacts", "publish", flavour, "pihub");
        if (!File.Exists(path))
        {
            Assert.Fail($"{path} does not exist: run scripts/publish.sh {flavour.Replace("-jit", " --jit", StringComparison.Ordinal)} (scripts/test.sh does it), or set {variable}.");
        }

        return path;
    }
}
