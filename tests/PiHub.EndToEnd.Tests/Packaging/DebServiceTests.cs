using System.Globalization;
using System.Text.RegularExpressions;

namespace PiHub.EndToEnd.Tests.Packaging;

/// <summary>
/// The amd64 .deb installed into a Debian 12 and a Debian 13 root that then boots with systemd (systemd-nspawn):
/// pihub.service, with its whole sandbox, starts, becomes ready, pings the watchdog and serves;
/// and a process in that sandbox as user pihub may power the machine off only thanks to the
/// package's polkit rule. The tests run in order on one boot; the last one powers it off.
/// </summary>
[NonParallelizable]
[TestFixtureSource(typeof(DebRoot), nameof(DebRoot.Suites))]
public partial class DebServiceTests(string suite)
{
    private const string PowerOffCheck = "pihub-poweroff-check.service";
    private const string PolkitRule = "/usr/share/polkit-1/rules.d/50-pihub.rules";

    private DebRoot _root = null!;
    private NspawnMachine? _machine;

    [OneTimeSetUp]
    public async Task InstallAndBoot()
    {
        var deb = DebRoot.PackageOrIgnore();
        if (!File.Exists(NspawnMachine.Nspawn)) Assert.Ignore("systemd-nspawn is missing: run scripts/test.sh (it installs systemd-container).");
        _root = await DebRoot.CreateAsync(systemd: true, suite);
        await _root.InstallAsync(deb);
        WritePowerOffCheckUnit();
        _machine = await NspawnMachine.BootAsync(_root);
        // multi-user.target does not wait for pihub (no After=): wait for READY=1 or a failure,
        // longer than TimeoutStartSec=90s so a hub that never gets ready shows as failed.
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while ((await Machine.ShowAsync("pihub.service", "ActiveState"))["ActiveState"] == "activating" && !deadline.IsCancellationRequested)
        {
            await Task.Delay(250, CancellationToken.None);
        }
    }

    [OneTimeTearDown]
    public async Task PowerOffAndDelete()
    {
        if (_machine is not null) await _machine.DisposeAsync();
        _root?.Dispose();
    }

    private NspawnMachine Machine => _machine!;

    [Test]
    [Order(1)]
    public async Task Boot_Service_ActiveAndReady()
    {
        var service = await Machine.ShowAsync("pihub.service", "ActiveState", "SubState", "NRestarts");

        // Still activating after 2 minutes meant READY=1 never came: ProtectProc= once hid PID 1 from Hosting.Systemd.
        Assert.That(service["ActiveState"], Is.EqualTo("active"), await JournalAsync());
        Assert.That(service["SubState"], Is.EqualTo("running"));
        Assert.That(service["NRestarts"], Is.EqualTo("0"), await JournalAsync());
    }

    [Test]
    [Order(2)]
    public async Task Boot_Onboarding_AnswersOnTheConfiguredPort()
    {
        var status = await Machine.OutputOfAsync("curl", "--silent", "--output", "/dev/null", "--write-out", "%{http_code}", "http://127.0.0.1:8123/api/onboarding");

        Assert.That(status, Is.EqualTo("200"), await JournalAsync());
    }

    [Test]
    [Order(2)]
    public async Task Boot_Process_UnprivilegedPihubWithSeccomp()
    {
        var pid = (await Machine.ShowAsync("pihub.service", "MainPID"))["MainPID"];
        var status = await Machine.OutputOfAsync("cat", $"/proc/{pid}/status");
        var uid = await Machine.OutputOfAsync("id", "-u", "pihub");

        Assert.That(Field(status, "Uid"), Does.StartWith(uid + "\t"));
        Assert.That(Field(status, "NoNewPrivs"), Is.EqualTo("1"));
        Assert.That(Field(status, "Seccomp"), Is.EqualTo("2"), "2 = a system-call filter is on");
        Assert.That(Field(status, "CapEff"), Is.EqualTo("0000000000000000"));
        Assert.That(Field(status, "CapBnd"), Is.EqualTo("0000000000000000"));
    }

    [Test]
    [Order(2)]
    public async Task Boot_Directories_StateAndAdminSocketDirsOwnedByPihub()
    {
        Assert.That(await Machine.OutputOfAsync("stat", "-c", "%a %U:%G", "/var/lib/pihub"), Is.EqualTo("700 pihub:pihub"));
        Assert.That(await Machine.OutputOfAsync("stat", "-c", "%a %U:%G", "/run/pihub"), Is.EqualTo("750 pihub:pihub"));
        Assert.That(await Machine.OutputOfAsync("stat", "-c", "%a %U", "/var/lib/pihub/auth.db"), Is.EqualTo("600 pihub"));
    }

    [Test]
    [Order(3)]
    public async Task Boot_Watchdog_PingsArrive()
    {
        // systemd stamps each WATCHDOG=1; the hub pings every WatchdogSec/2 (15 s).
        var first = (await Machine.ShowAsync("pihub.service", "WatchdogTimestampMonotonic"))["WatchdogTimestampMonotonic"];
        var next = first;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (next == first && !deadline.IsCancellationRequested)
        {
            await Task.Delay(500, CancellationToken.None);
            next = (await Machine.ShowAsync("pihub.service", "WatchdogTimestampMonotonic"))["WatchdogTimestampMonotonic"];
        }

        Assert.That(next, Is.Not.EqualTo(first), "no watchdog ping in 60 s\n" + await JournalAsync());
        Assert.That((await Machine.ShowAsync("pihub.service", "NRestarts"))["NRestarts"], Is.EqualTo("0"));
    }

    [Test]
    [Order(4)]
    public async Task PowerOff_WithoutThePolkitRule_Refused()
    {
        File.Move(_root.HostPath(PolkitRule), _root.HostPath(PolkitRule + ".off"));
        try
        {
            await Machine.OutputOfAsync("systemctl", "restart", "polkit.service");

            var (exit, _) = await Machine.ExecAsync("systemctl", "start", PowerOffCheck);

            Assert.That(exit, Is.Not.Zero, "logind powered off for pihub without the rule");
            Assert.That(await Machine.OutputOfAsync("journalctl", "--unit", PowerOffCheck, "--no-pager"), Does.Contain("Interactive authentication required").Or.Contain("Access denied"));
            Assert.That(Machine.HasExited, Is.False);
        }
        finally
        {
            File.Move(_root.HostPath(PolkitRule + ".off"), _root.HostPath(PolkitRule));
            await Machine.OutputOfAsync("systemctl", "restart", "polkit.service");
        }
    }

    [Test]
    [Order(5)]
    public async Task PowerOff_AsPihubInTheServiceSandbox_MachinePowersOff()
    {
        // The job is cancelled by the shutdown it starts, so its exit code means nothing.
        await Machine.ExecAsync("systemctl", "start", "--no-block", PowerOffCheck);

        Assert.That(await Machine.WaitForExitAsync(TimeSpan.FromSeconds(60)), Is.True, "still running:\n" + Machine.Console);
    }

    /// <summary>
    /// The installed pihub.service with another ExecStart: what the power monitor does (logind's
    /// PowerOff over the system bus), in the very same sandbox, as user pihub.
    /// </summary>
    private void WritePowerOffCheckUnit()
    {
        var unit = File.ReadAllLines(_root.HostPath("/lib/systemd/system/pihub.service"))
            .Where(l => !ServiceOnlyKey().IsMatch(l))
            .Select(l => l.StartsWith("ExecStart=", StringComparison.Ordinal)
                ? "ExecStart=/usr/bin/busctl call org.freedesktop.login1 /org/freedesktop/login1 org.freedesktop.login1.Manager PowerOff b false"
                : l.Replace("Type=notify", "Type=oneshot", StringComparison.Ordinal));
        File.WriteAllLines(_root.HostPath("/etc/systemd/system/" + PowerOffCheck), unit);
    }

    private async Task<string> JournalAsync() => (await Machine.ExecAsync("journalctl", "--unit", "pihub.service", "--no-pager", "--lines", "60")).Output;

    private static string Field(string status, string name) =>
        status.Split('\n').Select(l => l.Split(':', 2)).First(kv => kv[0] == name)[1].Trim();

    [GeneratedRegex(@"^(WatchdogSec|NotifyAccess|Restart\w*|WantedBy)=")]
    private static partial Regex ServiceOnlyKey();
}
