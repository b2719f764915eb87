using System.Diagnostics;
using System.Globalization;
using System.Text;
using PiHub.Testing;

namespace PiHub.EndToEnd.Tests.Packaging;

/// <summary>
/// A Debian root booted with systemd as its init under <c>systemd-nspawn</c>, in its own
/// network namespace (only loopback), so units run exactly as on a Pi. Commands run inside
/// with <c>nsenter</c>. Works without systemd on the host (<c>--register=no --keep-unit</c>).
/// </summary>
public sealed class NspawnMachine : IAsyncDisposable
{
    public const string Nspawn = "/usr/bin/systemd-nspawn";

    private readonly Process _nspawn;
    private readonly StringBuilder _console = new();

    private NspawnMachine(Process nspawn) => _nspawn = nspawn;

    /// <summary>The container's PID 1 (systemd) as this machine sees it.</summary>
    public int InitPid { get; private set; }

    /// <summary>What the container printed on its console (boot messages).</summary>
    public string Console
    {
        get
        {
            lock (_console) return _console.ToString();
        }
    }

    public bool HasExited => _nspawn.HasExited;

    /// <summary>Boots <paramref name="root"/> and waits until systemd reports the boot finished.</summary>
    public static async Task<NspawnMachine> BootAsync(DebRoot root)
    {
        var start = new ProcessStartInfo(Nspawn)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var arg in new[] { "--register=no", "--keep-unit", "--private-network", "--quiet", "--console=pipe", "--boot", "-D", root.Path })
        {
            start.ArgumentList.Add(arg);
        }

        var machine = new NspawnMachine(new Process { StartInfo = start });
        machine._nspawn.OutputDataReceived += (_, e) => machine.OnLine(e.Data);
        machine._nspawn.ErrorDataReceived += (_, e) => machine.OnLine(e.Data);
        machine._nspawn.Start();
        machine._nspawn.BeginOutputReadLine();
        machine._nspawn.BeginErrorReadLine();

        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            machine.InitPid = await machine.FindInitAsync(deadline.Token);
            await machine.WaitForManagerAsync(deadline.Token);
            // Returns once the boot's start-up jobs have finished.
            var (_, state) = await machine.ExecAsync("systemctl", "is-system-running", "--wait");
            if (state.Trim() is not ("running" or "degraded")) Assert.Fail($"The container did not finish booting ({state.Trim()}):\n{machine.Console}");
            return machine;
        }
        catch
        {
            // Nobody else holds the machine yet: stop it (and its PID 1 with it) before failing.
            await machine.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs a command inside the container (all its namespaces, as root).</summary>
    public Task<(int ExitCode, string Output)> ExecAsync(params string[] command) =>
        PiHubProcess.RunToExitAsync("nsenter", ["--target", InitPid.ToString(CultureInfo.InvariantCulture), "--all", .. command], timeout: TimeSpan.FromMinutes(2));

    /// <summary>Runs a command that must succeed; returns its output without the final newline.</summary>
    public async Task<string> OutputOfAsync(params string[] command)
    {
        var (exit, output) = await ExecAsync(command);
        Assert.That(exit, Is.Zero, $"{string.Join(' ', command)} failed in the container:\n{output}");
        return output.TrimEnd('\n');
    }

    /// <summary>A unit's properties, e.g. ActiveState, as name → value.</summary>
    public async Task<Dictionary<string, string>> ShowAsync(string unit, params string[] properties)
    {
        var output = await OutputOfAsync(["systemctl", "show", unit, .. properties.Select(p => "--property=" + p)]);
        return output.Split('\n').Select(l => l.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]);
    }

    /// <summary>Waits for the container to stop (after a power-off); false if it is still running after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _nspawn.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_nspawn.HasExited)
        {
            _nspawn.Kill(entireProcessTree: true);
            await _nspawn.WaitForExitAsync();
        }

        _nspawn.Dispose();
    }

    private async Task<int> FindInitAsync(CancellationToken cancel)
    {
        // nspawn's child is the container's PID 1 once it has exec'd systemd.
        var children = $"/proc/{_nspawn.Id}/task/{_nspawn.Id}/children";
        while (true)
        {
            if (_nspawn.HasExited) Assert.Fail($"systemd-nspawn exited with {_nspawn.ExitCode} while booting:\n{Console}");
            var pids = File.Exists(children) ? (await File.ReadAllTextAsync(children, cancel)).Split(' ', StringSplitOptions.RemoveEmptyEntries) : [];
            foreach (var pid in pids)
            {
                var comm = $"/proc/{pid}/comm";
                if (File.Exists(comm) && (await File.ReadAllTextAsync(comm, cancel)).Trim() == "systemd") return int.Parse(pid, CultureInfo.InvariantCulture);
            }

            await Task.Delay(100, cancel);
        }
    }

    private async Task WaitForManagerAsync(CancellationToken cancel)
    {
        // systemctl answers "offline" until systemd listens on its private socket.
        var socket = $"/proc/{InitPid}/root/run/systemd/private";
        while (!File.Exists(socket))
        {
            if (_nspawn.HasExited) Assert.Fail($"systemd-nspawn exited with {_nspawn.ExitCode} while booting:\n{Console}");
            await Task.Delay(100, cancel);
        }
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        lock (_console) _console.AppendLine(line);
    }
}
