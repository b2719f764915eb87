using System.Net;
using PiHub.Testing;

namespace PiHub.EndToEnd.Tests;

/// <summary>
/// The linux-arm64 Native AOT binary, the one that ships on the Pi, run under qemu user-mode
/// emulation: it starts, completes onboarding, a login and a state write.
/// </summary>
public class Arm64EmulatedTests
{
    private const string Qemu = "/usr/bin/qemu-aarch64-static";

    /// <summary>scripts/lib/run-arm64.sh: qemu with the cross libc and multiarch libssl (one place for the flags).</summary>
    private static string Runner => Environment.GetEnvironmentVariable("PIHUB_RUN_ARM64") ?? RepoPaths.InRepo("scripts", "lib", "run-arm64.sh");

    [Test]
    public async Task Arm64Binary_UnderQemu_OnboardsLogsInAndWritesState()
    {
        var binary = PublishedBinary.PathOf("linux-arm64");
        if (!File.Exists(Qemu)) Assert.Fail($"{Qemu} is missing: run scripts/test.sh (it installs Debian's qemu-user-static).");

        if (!File.Exists("/usr/lib/aarch64-linux-gnu/libssl.so.3")) Assert.Fail("libssl3:arm64 is missing: run scripts/test.sh (it enables multiarch and installs it).");
        await using var hub = await PiHubProcess.StartAsync(Runner, [binary], timeout: TimeSpan.FromSeconds(90));
        using var api = new HubApi(hub.BaseUri);

        using var owner = await api.OnboardAsync();
        var login = await api.LoginAsync("owner", HubApi.OwnerPassword);
        using var again = api.Client(login["access_token"]!.GetValue<string>());
        var write = await again.PostAsync("api/states/sensor.arm64", HubApi.Json("""{"state":"emulated"}"""));
        var read = await HubApi.JsonAsync(await again.GetAsync("api/states/sensor.arm64"));

        Assert.That(write.StatusCode, Is.EqualTo(HttpStatusCode.Created), hub.Output);
        Assert.That(read["state"]!.GetValue<string>(), Is.EqualTo("emulated"));
    }
}
