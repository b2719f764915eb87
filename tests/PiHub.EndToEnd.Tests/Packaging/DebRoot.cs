using System.Globalization;
using PiHub.Testing;

namespace PiHub.EndToEnd.Tests.Packaging;

/// <summary>
/// A throwaway Debian 12 (bookworm) or 13 (trixie) root made by scripts/lib/debroot.sh (debootstrap, cached), and the
/// package built by scripts/build-deb.sh. Deleted on dispose.
/// </summary>
public sealed class DebRoot : IDisposable
{
    private DebRoot(string path) => Path = path;

    /// <summary>The root's directory on this machine.</summary>
    public string Path { get; }

    /// <summary>scripts/lib/debroot.sh, which makes roots and runs commands in them.</summary>
    public static string Script => RepoPaths.InRepo("scripts", "lib", "debroot.sh");

    /// <summary>
    /// The amd64 package (PIHUB_DEB_AMD64, else the newest artifacts/deb/pihub_*_amd64.deb);
    /// ignores the test when there is none or when this process cannot make roots.
    /// </summary>
    public static string PackageOrIgnore()
    {
        if (Environment.UserName != "root") Assert.Ignore("Installing the package into a Debian root needs root (chroot, device nodes); run scripts/test.sh as root.");
        if (!File.Exists("/usr/sbin/debootstrap"))
        {
            Assert.Ignore("debootstrap is missing: run scripts/test.sh (it installs it and builds the package).");
        }

        var deb = Environment.GetEnvironmentVariable("PIHUB_DEB_AMD64");
        if (deb is null)
        {
            var dir = new DirectoryInfo(RepoPaths.InRepo("artifacts", "deb"));
            deb = dir.Exists ? dir.GetFiles("pihub_*_amd64.deb").OrderByDescending(f => f.LastWriteTimeUtc).FirstOrDefault()?.FullName : null;
        }

        if (deb is null || !File.Exists(deb)) Assert.Ignore("No amd64 package: run scripts/test.sh (or scripts/publish.sh linux-x64 && scripts/build-deb.sh amd64).");
        return deb!;
    }

    /// <summary>The Debian releases the package installs on (the SD card is trixie's).</summary>
    public static readonly string[] Suites = ["bookworm", "trixie"];

    /// <summary>A fresh root of <paramref name="suite"/>; <paramref name="systemd"/> adds systemd, dbus, polkitd and curl so it boots under systemd-nspawn.</summary>
    public static async Task<DebRoot> CreateAsync(bool systemd, string suite)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "pihub-debroot-" + Guid.NewGuid().ToString("N")[..8]);
        string[] args = systemd ? ["create", path, "--systemd", "--suite", suite] : ["create", path, "--suite", suite];
        var (exit, output) = await PiHubProcess.RunToExitAsync(Script, args, timeout: TimeSpan.FromMinutes(15));
        if (exit != 0) Assert.Fail($"scripts/lib/debroot.sh {string.Join(' ', args)} failed ({exit}):\n{output}");
        return new DebRoot(path);
    }

    /// <summary>The host path of <paramref name="pathInRoot"/> (absolute inside the root).</summary>
    public string HostPath(string pathInRoot) => System.IO.Path.Join(Path, pathInRoot);

    /// <summary>Copies the package to /tmp in the root and installs it with apt (dependencies from the mirror).</summary>
    public async Task InstallAsync(string deb)
    {
        File.Copy(deb, HostPath("/tmp/pihub.deb"), overwrite: true);
        var (exit, output) = await PiHubProcess.RunToExitAsync(Script, ["install", Path, "/tmp/pihub.deb"], timeout: TimeSpan.FromMinutes(5));
        Assert.That(exit, Is.Zero, "apt-get install ./pihub.deb failed:\n" + output);
    }

    /// <summary>Runs a command in the root (chroot with /proc) and returns its exit code and output.</summary>
    public Task<(int ExitCode, string Output)> RunAsync(params string[] command) =>
        PiHubProcess.RunToExitAsync(Script, ["run", Path, .. command], timeout: TimeSpan.FromMinutes(2));

    /// <summary>Runs a command that must succeed; returns its output without the final newline.</summary>
    public async Task<string> OutputOfAsync(params string[] command)
    {
        var (exit, output) = await RunAsync(command);
        Assert.That(exit, Is.Zero, $"{string.Join(' ', command)} failed in the Debian root:\n{output}");
        return output.TrimEnd('\n');
    }

    /// <summary>"mode owner:group" of a path inside the root, e.g. "640 root:pihub", names from the root's own files.</summary>
    public Task<string> ModeAndOwnerAsync(string pathInRoot) => OutputOfAsync("stat", "-c", "%a %U:%G", pathInRoot);

    /// <summary>Every path in the root's file system (not /proc), sorted.</summary>
    public async Task<SortedSet<string>> ListFilesAsync()
    {
        var output = await OutputOfAsync("find", "/", "-xdev");
        return new SortedSet<string>(output.Split('\n', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);
    }

    /// <summary>The numeric id of a user inside the root.</summary>
    public async Task<int> UidOfAsync(string user) => int.Parse(await OutputOfAsync("id", "-u", user), CultureInfo.InvariantCulture);

    public void Dispose()
    {
        // The root may hold files owned by other users and read-only directories: rm -rf copes.
        using var rm = System.Diagnostics.Process.Start("rm", ["-rf", "--one-file-system", Path]);
        rm.WaitForExit();
    }
}
