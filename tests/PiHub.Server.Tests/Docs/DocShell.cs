using System.Diagnostics;
using PiHub.Testing;

namespace PiHub.Server.Tests.Docs;

/// <summary>Runs a documentation example as a reader would: bash (or node) with PIHUB_URL, TOKEN and friends set.</summary>
internal static class DocShell
{
    /// <summary>Runs <paramref name="code"/> with <c>bash -euo pipefail</c>; asserts it exits 0 and returns its stdout.</summary>
    public static async Task<string> BashAsync(string code, IReadOnlyDictionary<string, string> environment)
    {
        Prerequisites.Tool("curl", "curl");
        var start = new ProcessStartInfo("bash", ["-euo", "pipefail", "-c", code]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment) start.Environment[name] = value;
        var (exit, stdout, stderr) = await RunAsync(start);
        Assert.That(exit, Is.Zero, stdout + stderr);
        return stdout;
    }

    /// <summary>Runs a Node.js example from the test's node folder (it has the client library installed).</summary>
    public static async Task<(int Code, string Output)> NodeAsync(string code, IReadOnlyDictionary<string, string> environment)
    {
        var node = Prerequisites.Node();
        var script = Path.Combine(RepoPaths.NodeDir, $"doc-{Guid.NewGuid():N}.mjs");
        await File.WriteAllTextAsync(script, code);
        try
        {
            var start = new ProcessStartInfo(node, [script]) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoPaths.NodeDir };
            foreach (var (name, value) in environment) start.Environment[name] = value;
            var (exit, stdout, stderr) = await RunAsync(start);
            return (exit, stdout + stderr);
        }
        finally
        {
            File.Delete(script);
        }
    }

    /// <summary>
    /// The commands of an example one by one (continuation lines joined, comments dropped), for examples whose
    /// second command needs a value the first one answered (THE_AUTH_CODE).
    /// </summary>
    public static List<string> Commands(string code) =>
        [.. code.Replace("\\\n", " ", StringComparison.Ordinal).Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))];

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(ProcessStartInfo start)
    {
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
