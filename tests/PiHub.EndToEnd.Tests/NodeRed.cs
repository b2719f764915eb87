using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using PiHub.Testing;

namespace PiHub.EndToEnd.Tests;

/// <summary>
/// Node-RED with the Home Assistant nodes (versions pinned in <c>nodered/package-lock.json</c>), started
/// as a process on a loopback port with the flows of <c>nodered/flows.json</c> pointed at a hub.
/// Each flow writes what its node sends as one JSON line to a probes file; the test reads it.
/// </summary>
public sealed class NodeRed : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly string _probesFile;

    private NodeRed(Process process, string userDir, int port)
    {
        _process = process;
        UserDir = userDir;
        Port = port;
        _probesFile = Path.Combine(userDir, "probes.jsonl");
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Where Node-RED and its Home Assistant nodes are installed (scripts/test.sh runs npm ci there).</summary>
    public static string Directory =>
        Environment.GetEnvironmentVariable("PIHUB_NODERED_DIR") ?? RepoPaths.InRepo("tests", "PiHub.EndToEnd.Tests", "nodered");

    public string UserDir { get; }

    public int Port { get; }

    /// <summary>A client for the flows' endpoints (<c>POST /pihub/…</c>).</summary>
    public HttpClient Http { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Node-RED's console output so far.</summary>
    public string Log
    {
        get
        {
            lock (_log) return _log.ToString();
        }
    }

    /// <summary>Null when Node-RED is installed; otherwise what is missing.</summary>
    public static string? Missing()
    {
        foreach (var file in new[] { "node_modules/node-red/red.js", "node_modules/node-red-contrib-home-assistant-websocket/package.json" })
        {
            var path = Path.Combine(Directory, file);
            if (!File.Exists(path)) return path;
        }

        return null;
    }

    /// <summary>Starts Node-RED with the test flows, its server node pointed at <paramref name="hubUrl"/> with <paramref name="token"/>.</summary>
    public static NodeRed Start(string hubUrl, string token)
    {
        var userDir = System.IO.Directory.CreateTempSubdirectory("pihub-nodered-").FullName;
        File.Copy(Path.Combine(Directory, "flows.json"), Path.Combine(userDir, "flows.json"));
        var credentials = new JsonObject { ["pihub_server"] = new JsonObject { ["host"] = hubUrl, ["access_token"] = token } };
        File.WriteAllText(Path.Combine(userDir, "flows_cred.json"), credentials.ToJsonString());
        var port = FreePort();
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("PIHUB_NODE") ?? "node")
        {
            // Node-RED looks for flows.json in the working directory first: the copy in userDir, not the committed one.
            WorkingDirectory = userDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in new[] { Path.Combine(Directory, "node_modules", "node-red", "red.js"), "--userDir", userDir, "--settings", Path.Combine(Directory, "settings.js") })
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["PIHUB_NODERED_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["PIHUB_PROBES_FILE"] = Path.Combine(userDir, "probes.jsonl");
        var process = new Process { StartInfo = start };
        var nodeRed = new NodeRed(process, userDir, port);
        process.OutputDataReceived += (_, e) => nodeRed.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => nodeRed.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return nodeRed;
    }

    /// <summary>Runs the flow behind <c>POST /pihub/<paramref name="action"/></c>.</summary>
    public async Task TriggerAsync(string action, string body = "{}")
    {
        using var response = await Http.PostAsync($"pihub/{action}", new StringContent(body, Encoding.UTF8, "application/json")).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST /pihub/{action} answered {(int)response.StatusCode}; Node-RED log:\n{Log}");
        }
    }

    /// <summary>Every probe line written so far, in order.</summary>
    public IReadOnlyList<JsonNode> Probes(string? probe = null)
    {
        if (!File.Exists(_probesFile)) return [];
        string text;
        using (var stream = new FileStream(_probesFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        using (var reader = new StreamReader(stream))
        {
            text = reader.ReadToEnd();
        }

        // The last line may still be being written: only complete lines count.
        var complete = text.EndsWith('\n') ? text : text[..(text.LastIndexOf('\n') + 1)];
        return complete.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonNode.Parse(line)!)
            .Where(p => probe is null || p["probe"]!.GetValue<string>() == probe)
            .ToList();
    }

    /// <summary>
    /// Waits until a probe line of <paramref name="probe"/> (after the first <paramref name="skip"/> of them) matches;
    /// throws with the probes and the log if none does in time.
    /// </summary>
    public async Task<JsonNode> WaitForAsync(string probe, Func<JsonNode, bool>? match = null, TimeSpan? timeout = null, int skip = 0)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var found = Probes(probe).Skip(skip).FirstOrDefault(p => match is null || match(p));
            if (found is not null) return found;
            if (DateTime.UtcNow > deadline || _process.HasExited)
            {
                var seen = string.Join('\n', Probes().Select(p => p.ToJsonString()));
                throw new TimeoutException($"No matching \"{probe}\" output from Node-RED{(_process.HasExited ? " (it exited)" : "")}.\nProbes:\n{seen}\nNode-RED log:\n{Log}");
            }

            await Task.Delay(100).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        _process.Dispose();
        try
        {
            System.IO.Directory.Delete(UserDir, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is harmless.
        }
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
