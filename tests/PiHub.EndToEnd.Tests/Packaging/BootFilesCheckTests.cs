using System.Runtime.Versioning;
using PiHub.Testing;

namespace PiHub.EndToEnd.Tests.Packaging;

/// <summary>
/// scripts/lib/check-boot-files.sh, which ends scripts/build-image.sh: a boot partition that
/// misses any file a supported Raspberry Pi loads (boot ROM and GPU firmware, its device tree,
/// the kernel and initramfs config.txt names), or whose config.txt/cmdline.txt are wrong,
/// fails the build with a line naming the problem. Run on a fake boot folder (seconds), not on
/// a built image.
/// </summary>
[SupportedOSPlatform("linux")]
public class BootFilesCheckTests
{
    private const string Label = "RASPIROOT";
    private const string Kernel = "vmlinuz-6.12.57+deb13-arm64";
    private const string Initrd = "initrd.img-6.12.57+deb13-arm64";

    // Everything the supported models load, as Debian 13's raspi-firmware and kernel put it there.
    private static readonly string[] LoadedFiles =
    [
        "bootcode.bin", "start.elf", "fixup.dat", "start4.elf", "fixup4.dat",
        "bcm2837-rpi-3-b-plus.dtb", "bcm2837-rpi-3-b.dtb", "bcm2837-rpi-3-a-plus.dtb", "bcm2837-rpi-cm3-io3.dtb",
        "bcm2837-rpi-zero-2-w.dtb", "bcm2711-rpi-4-b.dtb", "bcm2711-rpi-400.dtb", "bcm2711-rpi-cm4-io.dtb",
        Kernel, Initrd, "config.txt", "cmdline.txt",
    ];

    private static string Script => RepoPaths.InRepo("scripts", "lib", "check-boot-files.sh");

    private string _boot = null!;

    [SetUp]
    public void CreateBootFolder()
    {
        _boot = Directory.CreateTempSubdirectory("pihub-bootcheck-").FullName;
        foreach (var file in LoadedFiles)
        {
            File.WriteAllText(Path.Join(_boot, file), "x");
        }

        // What raspi-firmware's kernel hook writes with the image's /etc/default/raspi-firmware.
        File.WriteAllText(Path.Join(_boot, "config.txt"),
            $"# Do not modify this file!\n\n# Switch the CPU from ARMv7 into ARMv8 (aarch64) mode\narm_64bit=1\n\n" +
            $"enable_uart=1\nupstream_kernel=1\n\nkernel={Kernel}\n# For details on the initramfs directive, see\ninitramfs {Initrd}\n");
        File.WriteAllText(Path.Join(_boot, "cmdline.txt"),
            $" console=ttyS1,115200 console=tty0 root=LABEL={Label} rw fsck.repair=yes net.ifnames=0  rootwait \n");
        // Not loaded by any supported model: removing it must not fail the check.
        File.WriteAllText(Path.Join(_boot, "start_x.elf"), "x");
    }

    [TearDown]
    public void DeleteBootFolder() => Directory.Delete(_boot, recursive: true);

    [Test]
    public async Task Check_CompleteBootFolder_PassesForEveryModel()
    {
        File.Delete(Path.Join(_boot, "start_x.elf"));

        var (exit, output) = await RunAsync();

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Zero, output);
            Assert.That(output, Does.Contain("Raspberry Pi 3 Model B+:"));
            Assert.That(output, Does.Contain("Raspberry Pi Zero 2 W:"));
            Assert.That(output, Does.Contain("Raspberry Pi 4 Model B: start4.elf fixup4.dat bcm2711-rpi-4-b.dtb"));
            Assert.That(output, Does.Contain("Raspberry Pi Compute Module 4:"));
        });
    }

    [TestCaseSource(nameof(LoadedFiles))]
    public async Task Check_OneLoadedFileMissing_FailsNamingIt(string missing)
    {
        File.Delete(Path.Join(_boot, missing));

        var (exit, output) = await RunAsync();

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(1), output);
            Assert.That(output, Does.Contain($"boot check: {missing}").Or.Contain($"names kernel={missing},").Or.Contain($"names initramfs {missing},"));
            Assert.That(output, Does.Contain("1 problem(s)"), "one missing file, one problem");
        });
    }

    [Test]
    public async Task Check_OneLoadedFileEmpty_FailsNamingIt()
    {
        File.WriteAllText(Path.Join(_boot, "bcm2711-rpi-400.dtb"), "");

        var (exit, output) = await RunAsync();

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(1), output);
            Assert.That(output, Does.Contain("bcm2711-rpi-400.dtb is missing (needed by: Raspberry Pi 400)"));
        });
    }

    [Test]
    public async Task Check_CmaOnCommandLine_FailsForThePi4Family()
    {
        // What the hook writes when it runs outside a Pi 4 (the image build's chroot) without CMA=0.
        File.WriteAllText(Path.Join(_boot, "cmdline.txt"),
            $" console=ttyS1,115200 console=tty0 root=LABEL={Label} rw fsck.repair=yes net.ifnames=0 cma=64M rootwait \n");

        var (exit, output) = await RunAsync();

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(1), output);
            Assert.That(output, Does.Contain("cmdline.txt sets cma=64M, which the Pi 4 family cannot boot with"));
        });
    }

    [TestCase("root=/dev/mmcblk0p2", "root=/dev/mmcblk0p2, not root=LABEL=RASPIROOT")]
    [TestCase("", "root=(nothing), not root=LABEL=RASPIROOT")]
    public async Task Check_RootNotTheLabel_Fails(string root, string expected)
    {
        File.WriteAllText(Path.Join(_boot, "cmdline.txt"), $"console=tty0 {root} rw rootwait\n");

        var (exit, output) = await RunAsync();

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(1), output);
            Assert.That(output, Does.Contain(expected));
        });
    }

    [TestCase("arm_64bit=1\n", "config.txt names no kernel=")]
    [TestCase($"kernel={Kernel}\ninitramfs {Initrd}\n", "config.txt has no arm_64bit=1")]
    [TestCase($"arm_64bit=1\nkernel={Kernel}\n", "config.txt names no initramfs")]
    [TestCase($"arm_64bit=1\nkernel=kernel8.img\ninitramfs {Initrd}\n", "config.txt names kernel=kernel8.img, which is not on the boot partition")]
    public async Task Check_ConfigTxtIncomplete_FailsSayingWhat(string config, string expected)
    {
        File.WriteAllText(Path.Join(_boot, "config.txt"), config);

        var (exit, output) = await RunAsync();

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(1), output);
            Assert.That(output, Does.Contain(expected));
        });
    }

    private Task<(int ExitCode, string Output)> RunAsync() =>
        PiHubProcess.RunToExitAsync("/bin/bash", [Script, _boot, Label]);
}
