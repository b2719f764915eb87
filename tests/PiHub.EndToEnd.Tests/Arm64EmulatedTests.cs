using System.Net;
using PiHub.Testing;

namespace PiHub.EndToEnd.Tests;

/// <summary>
/// The linux-arm64 Native AOT binary, the one that ships on the Pi, run under qemu user-mode
/// emulation: it starts, completes onboarding, a login and a state write.
/// scripts/test.sh --no-arm64 leaves the arm64 build out and excludes this category by filter.
/// </summary>
[Category("Arm64")]
public class Arm64EmulatedTests
{
    private const string Qemu = "/usr/bin/qemu-aarch64-static";

    /// <summary>scripts/lib/run-arm64.sh: qemu with the cross libc and multiarch libssl (one place for the flags).</summary>
    private static string Runner => Environment.GetEnvironmentVariable("PIHUB_RUN_ARM64") ?? RepoPaths.InRepo("scripts", "lib", "run-arm64.sh");

    [Test]
    public async Task Arm64Binary_UnderQemu_OnboardsLogsInAndWritesState()
    {
        var binary = PublishedBinary.PathOf("linux-arm64");
        Prerequisites.Require(File.Exists(Qemu), $"{Qemu} is missing: apt-get install qemu-user-static.");
        Prerequisites.Require(File.Exists("/usr/lib/aarch64-linux-gnu/libssl.so.3"),
            "libssl3:arm64 is missing: dpkg --add-architecture arm64, then apt-get install libssl3:arm64.");
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
