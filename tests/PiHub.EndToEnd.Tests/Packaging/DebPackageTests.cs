using System.IO.Compression;
using System.Net;
using PiHub.Testing;

namespace PiHub.EndToEnd.Tests.Packaging;

/// <summary>
/// The amd64 .deb installed with apt into a fresh Debian 12 and Debian 13 root (chroot, no systemd): what
/// lands where with which owner and mode, the service user, the binary serving as that user,
/// and a purge that leaves nothing but the user. The tests run in order on one install.
/// </summary>
[NonParallelizable]
[TestFixtureSource(typeof(DebRoot), nameof(DebRoot.Suites))]
public class DebPackageTests(string suite)
{
    private DebRoot _root = null!;
    private SortedSet<string> _before = null!;

    [OneTimeSetUp]
    public async Task InstallIntoFreshRoot()
    {
        var deb = DebRoot.PackageOrIgnore();
        _root = await DebRoot.CreateAsync(systemd: false, suite);
        _before = await _root.ListFilesAsync();
        await _root.InstallAsync(deb);
    }

    [OneTimeTearDown]
    public void DeleteRoot() => _root?.Dispose();

    [Test]
    [Order(1)]
    public async Task Install_ProgramFiles_RootOwnedInTheirPlaces()
    {
        await Assert.MultipleAsync(async () =>
        {
            Assert.That(await _root.ModeAndOwnerAsync("/usr/lib/pihub/pihub"), Is.EqualTo("755 root:root"));
            Assert.That(await _root.OutputOfAsync("readlink", "/usr/bin/pihub"), Is.EqualTo("../lib/pihub/pihub"));
            Assert.That(await _root.ModeAndOwnerAsync("/lib/systemd/system/pihub.service"), Is.EqualTo("644 root:root"));
            Assert.That(await _root.ModeAndOwnerAsync("/lib/udev/rules.d/60-pihub-gpio.rules"), Is.EqualTo("644 root:root"));
            Assert.That(await _root.ModeAndOwnerAsync("/usr/share/polkit-1/rules.d/50-pihub.rules"), Is.EqualTo("644 root:root"));
            Assert.That(await _root.ModeAndOwnerAsync("/usr/lib/modules-load.d/pihub.conf"), Is.EqualTo("644 root:root"));
            Assert.That(await _root.ModeAndOwnerAsync("/usr/share/doc/pihub/copyright"), Is.EqualTo("644 root:root"));
            Assert.That(File.Exists(_root.HostPath("/usr/share/man/man8/pihub.8.gz")), Is.True, "man page");
            // scripts/publish.sh always ships the recovery CLI, and lintian wants a page for every command.
            Assert.That(await _root.OutputOfAsync("readlink", "/usr/bin/pihub-cli"), Is.EqualTo("../lib/pihub/pihub-cli"));
            Assert.That(await _root.ModeAndOwnerAsync("/usr/share/man/man8/pihub-cli.8.gz"), Is.EqualTo("644 root:root"), "man pihub-cli");
            Assert.That(Directory.GetFiles(_root.HostPath("/usr/lib/pihub"), "*.dbg"), Is.Empty, "debug symbols are not shipped");
        });
    }

    [TestCase("pihub")]
    [TestCase("pihub-cli")]
    [Order(1)]
    public void Install_ManPage_DatedInItsThLine(string command)
    {
        using var page = new GZipStream(File.OpenRead(_root.HostPath($"/usr/share/man/man8/{command}.8.gz")), CompressionMode.Decompress);
        using var reader = new StreamReader(page);
        var th = reader.ReadToEnd().Split('\n').FirstOrDefault(l => l.StartsWith(".TH ", StringComparison.Ordinal));

        // .TH title section date source manual: scripts/build-deb.sh fills in the date packaging/man leaves empty
        // (without one, mandoc -Tlint warns "missing date" and the page's footer shows none).
        Assert.That(th, Does.Match(@"^\.TH \S+ 8 ""\d{4}-\d{2}-\d{2}"" "), $"{command}(8)'s .TH line");
    }

    [Test]
    [Order(1)]
    public async Task Install_Config_ConffileReadableByServiceGroupOnly()
    {
        var conffiles = await _root.OutputOfAsync("dpkg-query", "--showformat=${Conffiles}", "--show", "pihub");

        Assert.That(await _root.ModeAndOwnerAsync("/etc/pihub/pihub.yaml"), Is.EqualTo("640 root:pihub"));
        Assert.That(conffiles, Does.Contain("/etc/pihub/pihub.yaml"));
    }

    [Test]
    [Order(1)]
    public async Task Install_DataDir_PrivateToPihub()
    {
        Assert.That(await _root.ModeAndOwnerAsync("/var/lib/pihub"), Is.EqualTo("700 pihub:pihub"));
    }

    [Test]
    [Order(1)]
    public async Task Install_User_SystemUserInGpioAndI2cGroups()
    {
        var passwd = (await _root.OutputOfAsync("getent", "passwd", "pihub")).Split(':');
        var groups = (await _root.OutputOfAsync("id", "-nG", "pihub")).Split(' ');

        Assert.That(int.Parse(passwd[2], System.Globalization.CultureInfo.InvariantCulture), Is.LessThan(1000), "a system uid");
        Assert.That(passwd[5], Is.EqualTo("/var/lib/pihub"));
        Assert.That(passwd[6], Is.EqualTo("/usr/sbin/nologin"));
        Assert.That(groups, Is.SupersetOf(new[] { "pihub", "gpio", "i2c" }));
    }

    [Test]
    [Order(1)]
    public async Task Install_Service_EnabledForBoot()
    {
        var link = await _root.OutputOfAsync("readlink", "/etc/systemd/system/multi-user.target.wants/pihub.service");

        Assert.That(link, Is.EqualTo("/lib/systemd/system/pihub.service"));
    }

    [Test]
    [Order(2)]
    public async Task InstalledBinary_RunAsPihub_ServesOnboardingAndKeepsDataInVarLib()
    {
        // As the unit runs it: user pihub with its groups, the packaged config (on a loopback port here).
        string[] command = ["run", _root.Path, "setpriv", "--reuid=pihub", "--regid=pihub", "--init-groups",
            "/usr/bin/pihub", "--config", "/etc/pihub/pihub.yaml"];
        await using var hub = await PiHubProcess.StartAsync(DebRoot.Script, command, dataDir: "/var/lib/pihub");
        using var api = new HubApi(hub.BaseUri);

        var onboarding = await api.Http.GetAsync("api/onboarding");
        var exit = await hub.StopAsync();

        Assert.That(onboarding.StatusCode, Is.EqualTo(HttpStatusCode.OK), hub.Output);
        Assert.That(exit, Is.Zero, hub.Output);
        Assert.That(hub.Output, Does.Contain("Content root path: /usr/lib/pihub/"));
        Assert.That(await _root.ModeAndOwnerAsync("/var/lib/pihub/auth.db"), Does.EndWith(" pihub:pihub"));
    }

    [Test]
    [Order(3)]
    public async Task Reinstall_SamePackage_KeepsConfigModeAndData()
    {
        var (exit, output) = await _root.RunAsync("dpkg", "-i", "/tmp/pihub.deb");

        Assert.That(exit, Is.Zero, output);
        Assert.That(await _root.ModeAndOwnerAsync("/etc/pihub/pihub.yaml"), Is.EqualTo("640 root:pihub"));
        Assert.That(File.Exists(_root.HostPath("/var/lib/pihub/auth.db")), Is.True, "data kept");
    }

    [Test]
    [Order(4)]
    public async Task Purge_AfterInstallAndRun_LeavesOnlyTheUserAndDependencies()
    {
        var (exit, output) = await _root.RunAsync("dpkg", "--purge", "pihub");
        File.Delete(_root.HostPath("/tmp/pihub.deb"));
        var after = await _root.ListFilesAsync();
        var ownedByPackages = await _root.OutputOfAsync("sh", "-c", "dpkg-query -W -f '${Package}\\n' | xargs dpkg-query -L");
        var owned = new HashSet<string>(ownedByPackages.Split('\n'), StringComparer.Ordinal);

        // New paths that are neither a dependency's files (libssl3) nor apt/dpkg/adduser bookkeeping.
        string[] bookkeeping = ["/var/lib/dpkg/", "/var/lib/apt/", "/var/cache/apt/", "/var/cache/debconf/", "/var/log/",
            "/etc/passwd-", "/etc/group-", "/etc/shadow-", "/etc/gshadow-", "/run/adduser"];
        var leftovers = after.Except(_before).Where(p => !owned.Contains(p) && !bookkeeping.Any(p.StartsWith)).ToList();

        Assert.That(exit, Is.Zero, output);
        Assert.That(leftovers, Is.Empty);
        Assert.That(after.Where(p => p.Contains("pihub", StringComparison.Ordinal)), Is.Empty);
        // Debian keeps system users on purge (a recycled uid would own files pihub left); so do we.
        Assert.That((await _root.RunAsync("getent", "passwd", "pihub")).ExitCode, Is.Zero, "the pihub user is kept");
    }
}
