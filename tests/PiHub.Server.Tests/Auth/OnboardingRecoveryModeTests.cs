using System.Text.Json.Nodes;
using PiHub.Server.Tests.Infrastructure;

namespace PiHub.Server.Tests.Auth;

/// <summary>
/// <c>GET /api/onboarding</c> tells a page, before anyone types, whether creating the owner needs the one-time
/// recovery code (the user database was lost and no snapshot could restore it), keeping Home Assistant's shape.
/// </summary>
public class OnboardingRecoveryModeTests
{
    [Test]
    public async Task GetOnboarding_FreshHub_UserStepSaysNoRecoveryCodeNeeded()
    {
        await using var hub = await TestHub.StartAsync();

        var steps = JsonNode.Parse(await hub.Http.GetStringAsync("/api/onboarding"))!.AsArray();

        Assert.That(steps[0]!["step"]!.GetValue<string>(), Is.EqualTo("user"));
        Assert.That(steps[0]!["done"]!.GetValue<bool>(), Is.False);
        Assert.That(steps[0]!["recovery_code_required"]!.GetValue<bool>(), Is.False);
        Assert.That(steps.Skip(1).Select(s => s!.AsObject().Count), Is.All.EqualTo(2), "other steps keep Home Assistant's {step, done}");
    }

    [Test]
    public async Task GetOnboarding_UserDatabaseLostWithoutSnapshot_UserStepSaysRecoveryCodeRequired()
    {
        var dir = Directory.CreateTempSubdirectory("pihub-onboarding-recovery-").FullName;
        try
        {
            await using (var first = await TestHub.StartAsync(dataDir: dir))
            {
                (await first.OnboardAsync()).Dispose();
            }

            // Nothing recoverable: the store is zeros and there is neither a log nor a snapshot to restore.
            await File.WriteAllBytesAsync(Path.Combine(dir, "auth.db"), new byte[16384]);
            File.Delete(Path.Combine(dir, "auth-log.db"));
            if (Directory.Exists(Path.Combine(dir, "snapshots"))) Directory.Delete(Path.Combine(dir, "snapshots"), recursive: true);
            await using var second = await TestHub.StartAsync(dataDir: dir);

            var steps = JsonNode.Parse(await second.Http.GetStringAsync("/api/onboarding"))!.AsArray();

            Assert.That(steps[0]!["step"]!.GetValue<string>(), Is.EqualTo("user"));
            Assert.That(steps[0]!["done"]!.GetValue<bool>(), Is.False);
            Assert.That(steps[0]!["recovery_code_required"]!.GetValue<bool>(), Is.True);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
