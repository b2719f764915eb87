using System.Globalization;
using System.Runtime.Versioning;
using System.Text.RegularExpressions;
using PiHub.Testing;

namespace PiHub.EndToEnd.Tests.Packaging;

/// <summary>
/// packaging/systemd/pihub.service as systemd reads it: its sandbox must not loosen, and
/// <c>systemd-analyze verify</c> must accept it without a warning.
/// </summary>
[SupportedOSPlatform("linux")]
public partial class UnitHardeningTests
{
    /// <summary>
    /// What <c>systemd-analyze security --offline=yes</c> gave the unit once hardened (3.5 before).
    /// The unit's comments say why each remaining exposure stays.
    /// </summary>
    private const double AchievedExposure = 1.5;

    private const string SystemdAnalyze = "/usr/bin/systemd-analyze";

    private static string Unit => RepoPaths.InRepo("packaging", "systemd", "pihub.service");

    [SetUp]
    public void RequireSystemdAnalyze()
    {
        if (!File.Exists(SystemdAnalyze)) Assert.Ignore($"{SystemdAnalyze} is missing: run scripts/test.sh (it installs systemd's tools), or apt-get install systemd.");
    }

    [Test]
    public async Task SecurityExposure_ShippedUnit_NotAboveAchieved()
    {
        var (exit, output) = await PiHubProcess.RunToExitAsync(SystemdAnalyze, ["security", "--offline=yes", "--no-pager", Unit]);
        var match = OverallExposure().Match(output);

        Assert.That(exit, Is.Zero, output);
        Assert.That(match.Success, Is.True, "no \"Overall exposure level\" line in:\n" + output);
        var exposure = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.That(exposure, Is.LessThanOrEqualTo(AchievedExposure), "the sandbox loosened; the settings that cost exposure:\n" + Failing(output));
    }

    [Test]
    public async Task Verify_ShippedUnit_NoWarnings()
    {
        // verify wants the ExecStart binary and the targets the unit names to exist: a root
        // with this machine's units, the shipped unit and a stand-in /usr/bin/pihub.
        var root = Directory.CreateTempSubdirectory("pihub-unit-verify-").FullName;
        try
        {
            CopyDirectory("/lib/systemd/system", Path.Join(root, "lib/systemd/system"));
            File.Copy(Unit, Path.Join(root, "lib/systemd/system/pihub.service"), overwrite: true);
            Directory.CreateDirectory(Path.Join(root, "usr/bin"));
            File.WriteAllText(Path.Join(root, "usr/bin/pihub"), "#!/bin/sh\n");
            File.SetUnixFileMode(Path.Join(root, "usr/bin/pihub"), (UnixFileMode)0b111_101_101);

            var (exit, output) = await PiHubProcess.RunToExitAsync(SystemdAnalyze, ["verify", "--root=" + root, "pihub.service"]);

            Assert.That(exit, Is.Zero, output);
            Assert.That(output.Trim(), Is.Empty, "systemd-analyze verify warned");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static string Failing(string output) =>
        string.Join('\n', output.Split('\n').Where(l => l.StartsWith('✗')));

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var entry in new DirectoryInfo(from).EnumerateFileSystemInfos())
        {
            var target = Path.Join(to, entry.Name);
            if (entry.LinkTarget is { } link) File.CreateSymbolicLink(target, link);
            else if (entry is DirectoryInfo dir) CopyDirectory(dir.FullName, target);
            else File.Copy(entry.FullName, target);
        }
    }

    [GeneratedRegex(@"Overall exposure level for pihub\.service: (\d+\.\d+)")]
    private static partial Regex OverallExposure();
}
