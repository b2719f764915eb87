using System.Diagnostics;
using PiHub.Testing;

namespace PiHub.EndToEnd.Tests.Cli;

/// <summary>The published pihub-cli run as a process, as a person or a script on the hub would run it.</summary>
internal static class CliProcess
{
    /// <summary>The published pihub-cli next to pihub, or the test is ignored naming the script that builds it.</summary>
    public static string Binary()
    {
        var path = Environment.GetEnvironmentVariable("PIHUB_CLI_X64") ?? RepoPaths.InRepo("artifacts", "publish", "linux-x64", "pihub-cli");
        if (!File.Exists(path)) Assert.Ignore($"{path} does not exist: run scripts/test.sh (or scripts/publish.sh linux-x64), which publishes pihub and pihub-cli.");
        return path;
    }

    /// <summary>The published pihub, or ignored like <see cref="Binary"/>.</summary>
    public static string Server()
    {
        var path = Environment.GetEnvironmentVariable("PIHUB_BINARY_X64") ?? RepoPaths.InRepo("artifacts", "publish", "linux-x64", "pihub");
        if (!File.Exists(path)) Assert.Ignore($"{path} does not exist: run scripts/test.sh (or scripts/publish.sh linux-x64).");
        return path;
    }

    /// <summary>Runs pihub-cli with the hub's data folder in PIHUB__STORAGE__DATA_DIR (dev mode: the socket is there too).</summary>
    public static async Task<(int Exit, string Out, string Error)> RunAsync(string dataDir, string? stdin, params string[] args) =>
        await RunInAsync(null, new Dictionary<string, string> { ["PIHUB__STORAGE__DATA_DIR"] = dataDir }, stdin, Binary(), args).ConfigureAwait(false);

    public static async Task<(int Exit, string Out, string Error)> RunInAsync(string? workingDirectory, IReadOnlyDictionary<string, string> environment,
        string? stdin, string command, params string[] args)
    {
        var start = new ProcessStartInfo(command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("PIHUB__", StringComparison.Ordinal)).ToList()) start.Environment.Remove(key);
        foreach (var (k, v) in environment) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (stdin is not null) await process.StandardInput.WriteAsync(stdin).ConfigureAwait(false);
        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        return (process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
    }
}
