using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using PiHub.Testing;

namespace PiHub.EndToEnd.Tests.Browser;

/// <summary>
/// Runs a playwright-core script of this folder (Debian's chromium, never a downloaded browser) and
/// reads the one JSON line per step it prints. Missing prerequisites skip the test with what to run.
/// </summary>
internal static class BrowserScript
{
    public static string Dir => RepoPaths.InRepo("tests", "PiHub.EndToEnd.Tests", "Browser");

    /// <summary>Where screenshots, accessibility results and load figures go (not committed).</summary>
    public static string Artifacts(string run) => RepoPaths.InRepo("artifacts", "screenshots", run);

    /// <summary>The published AOT binary, Debian's chromium and the npm packages, or Assert.Ignore naming scripts/test.sh.</summary>
    public static (string Binary, string Chromium) Prerequisites()
    {
        var binary = Environment.GetEnvironmentVariable("PIHUB_BINARY_X64") ?? RepoPaths.InRepo("artifacts", "publish", "linux-x64", "pihub");
        var chromium = Environment.GetEnvironmentVariable("PIHUB_CHROMIUM") ?? "/usr/bin/chromium";
        if (!File.Exists(binary)) Assert.Ignore($"{binary} does not exist: run scripts/test.sh (it publishes pihub and runs these tests).");
        if (!File.Exists(chromium)) Assert.Ignore($"{chromium} does not exist: run scripts/test.sh (it installs Debian's chromium).");
        if (!Directory.Exists(Path.Combine(Dir, "node_modules", "playwright-core")))
        {
            Assert.Ignore($"{Dir}/node_modules is missing: run scripts/test.sh (it runs npm ci there).");
        }

        return (binary, chromium);
    }

    public sealed record Result(int ExitCode, IReadOnlyList<JsonObject> Steps, string Output, string Error)
    {
        public JsonObject? Step(string name) => Steps.LastOrDefault(s => s["step"]?.GetValue<string>() == name);

        /// <summary>The failed step with its error, or the whole output when the script died without one.</summary>
        public string Explain() =>
            Steps.FirstOrDefault(s => s["ok"]?.GetValue<bool>() == false)?.ToJsonString() ?? Output + Error;
    }

    public static async Task<Result> RunAsync(string script, object config, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("PIHUB_NODE") ?? "node")
        {
            WorkingDirectory = Dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(JsonSerializer.Serialize(config));
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        var text = await output;
        var steps = text.Split('\n')
            .Where(l => l.StartsWith('{'))
            .Select(l => JsonNode.Parse(l) as JsonObject)
            .OfType<JsonObject>()
            .ToList();
        var exit = process.HasExited ? process.ExitCode : -1;
        return new Result(exit, steps, text, await error + (exit == -1 ? $"\ntimed out after {timeout}" : ""));
    }
}
