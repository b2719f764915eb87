using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace PiHub.Testing;

/// <summary>
/// The real <c>pihub</c> binary started as a process on a loopback port it picks itself
/// (port 0; the address is read from its "Now listening on" log line).
/// </summary>
public sealed partial class PiHubProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private PiHubProcess(Process process, string dataDir)
    {
        _process = process;
        DataDir = dataDir;
    }

    public string DataDir { get; }

    public Uri BaseUri { get; private set; } = null!;

    public int Pid => _process.Id;

    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>The names of the hub's threads, as <c>ps -L</c> shows them (Linux: <c>/proc/&lt;pid&gt;/task/*/comm</c>).</summary>
    public IReadOnlyList<string> ThreadNames() =>
        Directory.GetDirectories($"/proc/{Pid}/task")
            .Select(task => File.ReadAllText(Path.Join(task, "comm")).Trim())
            .ToList();

    /// <summary>
    /// Starts <paramref name="command"/> (the binary, or a wrapper such as qemu) with <paramref name="args"/>,
    /// PiHub settings as <c>PIHUB__</c> variables, and waits until it listens.
    /// </summary>
    public static async Task<PiHubProcess> StartAsync(string command, IEnumerable<string> args, string? dataDir = null, IReadOnlyDictionary<string, string>? settings = null, TimeSpan? timeout = null)
    {
        dataDir ??= Directory.CreateTempSubdirectory("pihub-e2e-").FullName;
        var start = new ProcessStartInfo(command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["PIHUB__STORAGE__DATA_DIR"] = dataDir;
        start.Environment["PIHUB__HTTP__SERVER_HOST"] = "127.0.0.1";
        start.Environment["PIHUB__HTTP__SERVER_PORT"] = "0";
        start.Environment["PIHUB__INPUT_BOOLEAN__PORCH__NAME"] = "Porch light";
        foreach (var (k, v) in settings ?? new Dictionary<string, string>()) start.Environment[k] = v;
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var hub = new PiHubProcess(process, dataDir);
        process.OutputDataReceived += (_, e) => hub.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => hub.OnLine(e.Data);
        process.Exited += (_, _) => hub._listening.TrySetException(new InvalidOperationException($"pihub exited with {process.ExitCode} before listening:\n{hub.Output}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            hub.BaseUri = await hub._listening.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await hub.DisposeAsync().ConfigureAwait(false);
            throw new TimeoutException($"pihub did not listen in time:\n{hub.Output}");
        }

        return hub;
    }

    /// <summary>Waits for the process to exit on its own (e.g. a config error) and returns its exit code.</summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(string command, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        return (process.ExitCode, await output.ConfigureAwait(false) + await error.ConfigureAwait(false));
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
        var match = ListeningLine().Match(line);
        if (match.Success) _listening.TrySetResult(new Uri(match.Groups[1].Value.TrimEnd('/') + "/"));
    }

    /// <summary>Sends SIGKILL (a crash or power cut, as far as the files are concerned).</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    /// <summary>Sends SIGTERM and waits for a clean exit; returns the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan? timeout = null)
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync().ConfigureAwait(false);
            using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }

        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningLine();
}
