using PiHub.Core.Auth.Storage;
using PiHub.Server.Tests.Infrastructure;

namespace PiHub.Server.Tests.Hosting;

/// <summary>
/// The test harness hashes passwords cheaply (<see cref="TestHub.TestPasswordIterations"/>); the application
/// on its own must not: a new password is stored at 600,000 PBKDF2-HMAC-SHA256 rounds.
/// </summary>
public class PasswordCostTests
{
    [Test]
    public async Task Onboarding_ApplicationDefaults_PasswordStoredAt600000Rounds()
    {
        await using var hub = await TestHub.StartOnboardedAsync(passwordIterations: null);

        var hash = hub.Service<IAuthStore>().Current.Credentials.Values.Single().PasswordHash;

        Assert.That(hash, Does.StartWith("pbkdf2-sha256$600000$"));
    }

    [Test]
    public async Task Onboarding_TestHub_PasswordStoredAtTheTestCost()
    {
        await using var hub = await TestHub.StartOnboardedAsync();

        var hash = hub.Service<IAuthStore>().Current.Credentials.Values.Single().PasswordHash;

        Assert.That(hash, Does.StartWith($"pbkdf2-sha256${TestHub.TestPasswordIterations}$"));
    }
}
