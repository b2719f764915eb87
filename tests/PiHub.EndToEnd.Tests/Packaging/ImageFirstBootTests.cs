using System.Runtime.Versioning;
using PiHub.Testing;

namespace PiHub.EndToEnd.Tests.Packaging;

/// <summary>
/// The SD image's first-boot script (packaging/image/pihub-firstboot) run against a fake root,
/// as on a card's first boot minus the partition growth (which needs a real disk: see
/// scripts/boot-test-image.sh): who can log in over SSH, with what, and what the card
/// says when nobody can. The 35-minute image build itself is not run here.
/// </summary>
[SupportedOSPlatform("linux")]
public class ImageFirstBootTests
{
    private const string Hash = "$6$pihubsalt$2mOI0D8ZcdvaX7cnDsCJ3q0Jcqx1uCfXyCZoV.1f7B5jZpkgVoRQ6Qq0LNGW3PJwVW3yQj5n7tsX1f0hH8RZl0";

    private static string Script => RepoPaths.InRepo("packaging", "image", "pihub-firstboot");

    private string _root = null!;

    [SetUp]
    public void CreateFakeRoot()
    {
        Prerequisites.Tool("ssh-keygen", "openssh-client");
        _root = Directory.CreateTempSubdirectory("pihub-firstboot-").FullName;
        foreach (var dir in new[] { "etc/ssh/sshd_config.d", "etc/sudoers.d", "boot/firmware", "home/admin", "var/lib" })
        {
            Directory.CreateDirectory(Path.Join(_root, dir));
        }

        // The admin user owned by whoever runs the test, so the script's chown works without root.
        var (uid, gid) = (Id("-u"), Id("-g"));
        File.WriteAllText(Path.Join(_root, "etc/passwd"), $"root:x:0:0:root:/root:/bin/bash\nadmin:x:{uid}:{gid}:PiHub administrator:/home/admin:/bin/bash\n");
        File.WriteAllText(Path.Join(_root, "etc/shadow"), "root:*:20000:0:99999:7:::\nadmin:*:20000:0:99999:7:::\n");
        File.WriteAllText(Path.Join(_root, "etc/hostname"), "localhost\n");
    }

    [TearDown]
    public void DeleteFakeRoot() => Directory.Delete(_root, recursive: true);

    [Test]
    public async Task Run_KeyOnBootPartition_KeyAuthorizedOnceAndPasswordsStayOff()
    {
        // A key saved by a Windows editor: CRLF line ends and a comment line.
        const string key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJz0mOXKqO0y3M2yHqJ0s4KX1w9hZl3c2U8xq2m1Vb5p someone@laptop";
        await File.WriteAllTextAsync(Path.Join(_root, "boot/firmware/pihub-ssh.pub"), $"# my laptop\r\n{key}\r\n");

        var first = await RunAsync();
        var second = await RunAsync(); // every boot runs it: nothing may pile up

        var authorized = await File.ReadAllLinesAsync(Path.Join(_root, "home/admin/.ssh/authorized_keys"));
        Assert.Multiple(() =>
        {
            Assert.That(first.ExitCode, Is.Zero, first.Output);
            Assert.That(second.ExitCode, Is.Zero, second.Output);
            Assert.That(authorized, Is.EqualTo(new[] { key }));
            Assert.That(File.GetUnixFileMode(Path.Join(_root, "home/admin/.ssh/authorized_keys")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            Assert.That(Directory.GetFiles(Path.Join(_root, "etc/ssh"), "ssh_host_*_key"), Is.Not.Empty, "no host keys generated");
            Assert.That(File.Exists(Path.Join(_root, "etc/ssh/sshd_config.d/10-pihub-password.conf")), Is.False, "passwords enabled without a hash");
            Assert.That(File.ReadAllText(Path.Join(_root, "etc/sudoers.d/pihub-admin-nopasswd")), Does.Contain("admin ALL=(ALL:ALL) NOPASSWD: ALL"));
            Assert.That(File.ReadAllText(Path.Join(_root, "etc/hostname")), Is.EqualTo("pihub\n"));
            Assert.That(first.Output, Does.Contain("added 1 SSH key(s)"));
            Assert.That(second.Output, Does.Not.Contain("added"));
        });
    }

    [Test]
    public async Task Run_PasswordHashOnBootPartition_SetsItEnablesPasswordLoginsAndDeletesTheFile()
    {
        await File.WriteAllTextAsync(Path.Join(_root, "boot/firmware/pihub-password.hash"), Hash + "\r\n");

        var (exit, output) = await RunAsync();

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Zero, output);
            Assert.That(File.ReadAllLines(Path.Join(_root, "etc/shadow")), Does.Contain($"admin:{Hash}:20000:0:99999:7:::"));
            Assert.That(File.ReadAllText(Path.Join(_root, "etc/ssh/sshd_config.d/10-pihub-password.conf")), Does.Contain("PasswordAuthentication yes"));
            Assert.That(File.Exists(Path.Join(_root, "boot/firmware/pihub-password.hash")), Is.False, "the hash stayed on the FAT partition");
            Assert.That(File.Exists(Path.Join(_root, "etc/sudoers.d/pihub-admin-nopasswd")), Is.False, "sudo without a password although there is one");
        });
    }

    [Test]
    public async Task Run_NotAHash_IgnoredAndSaysHowToMakeOne()
    {
        await File.WriteAllTextAsync(Path.Join(_root, "boot/firmware/pihub-password.hash"), "hunter2\n");

        var (exit, output) = await RunAsync();

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Zero, output);
            Assert.That(output, Does.Contain("openssl passwd -6"));
            Assert.That(File.ReadAllText(Path.Join(_root, "etc/shadow")), Does.Contain("admin:*:"));
            Assert.That(File.Exists(Path.Join(_root, "etc/ssh/sshd_config.d/10-pihub-password.conf")), Is.False);
        });
    }

    [Test]
    public async Task Run_NothingOnBootPartition_NobodyCanLogInAndTheConsoleSaysWhatToDo()
    {
        var (exit, output) = await RunAsync();

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Zero, output);
            Assert.That(output, Does.Contain("nobody can log in over SSH; put one there and reboot"));
            Assert.That(File.Exists(Path.Join(_root, "home/admin/.ssh/authorized_keys")), Is.False);
            Assert.That(File.ReadAllText(Path.Join(_root, "etc/shadow")), Does.Contain("admin:*:"));
        });
    }

    [Test]
    public async Task Verify_FirstBootUnit_NoWarnings()
    {
        const string systemdAnalyze = "/usr/bin/systemd-analyze";
        Prerequisites.Require(File.Exists(systemdAnalyze), $"{systemdAnalyze} is missing: apt-get install systemd.");
        var root = Directory.CreateTempSubdirectory("pihub-firstboot-verify-").FullName;
        try
        {
            // verify wants the units this one names and its ExecStart: this machine's units
            // (copied: it rejects symlinked mount units), the unit and the script.
            var units = Path.Join(root, "lib/systemd/system");
            Directory.CreateDirectory(Path.Join(root, "lib/systemd"));
            var (copied, copyOutput) = await PiHubProcess.RunToExitAsync("cp", ["-a", "/lib/systemd/system", Path.Join(root, "lib/systemd")]);
            Assert.That(copied, Is.Zero, copyOutput);
            File.Copy(RepoPaths.InRepo("packaging", "image", "pihub-firstboot.service"), Path.Join(units, "pihub-firstboot.service"));
            Directory.CreateDirectory(Path.Join(root, "usr/lib/pihub-image"));
            File.Copy(Script, Path.Join(root, "usr/lib/pihub-image/firstboot"));

            var (exit, output) = await PiHubProcess.RunToExitAsync(systemdAnalyze, ["verify", "--root=" + root, "pihub-firstboot.service"]);

            Assert.That(exit, Is.Zero, output);
            Assert.That(output.Trim(), Is.Empty, "systemd-analyze verify warned");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private Task<(int ExitCode, string Output)> RunAsync() =>
        PiHubProcess.RunToExitAsync("/bin/sh", [Script], new Dictionary<string, string>
        {
            ["PIHUB_ROOT"] = _root,
            ["PIHUB_FIRSTBOOT_GROW"] = "0",
        });

    private static string Id(string flag)
    {
        var id = new System.Diagnostics.ProcessStartInfo("id", flag) { RedirectStandardOutput = true };
        using var process = System.Diagnostics.Process.Start(id)!;
        var output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return output;
    }
}
