using System.Diagnostics;

namespace PiHub.Testing;

/// <summary>
/// Runs a Node.js script from <see cref="RepoPaths.NodeDir"/> and captures its output. Without Node.js or the
/// npm packages the test is ignored (see <see cref="Prerequisites.Node"/>).
/// </summary>
public static class NodeScript
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static async Task<Result> RunAsync(string script, TimeSpan timeout, params string[] args)
    {
        var node = Prerequisites.Node();
        var start = new ProcessStartInfo(node)
        {
            WorkingDirectory = RepoPaths.NodeDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(script);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return new Result(-1, await output.ConfigureAwait(false), $"timed out after {timeout}; " + await error.ConfigureAwait(false));
        }

        return new Result(process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
    }
}
