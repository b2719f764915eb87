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

    [Test]
    public async Task Arm64Binary_UnderQemu_OnboardsLogsInAndWritesState()
    {
        var binary = PublishedBinary.PathOf("linux-arm64");
        if (!File.Exists(Qemu)) Assert.Fail($"{Qemu} is missing: run scripts/test.sh (it installs Debian's qemu-user-static).");

        // Without LD_LIBRARY_PATH a machine that also has Debian's multiarch arm64 libc hangs in pthread_create.
        await using var hub = await PiHubProcess.StartAsync(
            Qemu,
            ["-L", "/usr/aarch64-linux-gnu", "-E", "LD_LIBRARY_PATH=/usr/aarch64-linux-gnu/lib", binary],
            timeout: TimeSpan.FromSeconds(90));
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
