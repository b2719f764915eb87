using PiHub.Core.Auth.Storage;
using PiHub.Storage.Tests.Support;
using PiHub.Testing;

namespace PiHub.Storage.Tests.Regressions;

/// <summary>
/// Issue 24, item 11: when the auth store was lost, the one-time code that claims the hub in recovery mode was
/// written to the journal, which members of adm and systemd-journal read without root. The log must name the
/// root-only file and <c>sudo pihub-cli onboarding code</c>, never the code.
/// </summary>
public sealed class Recovery_Code_Written_To_JournalTests
{
    [Test]
    public async Task Open_NothingValidLeft_LogNamesFileAndCliButNeverTheCode()
    {
        using var dir = new TempDir();
        using (var store = StoreFactory.Open(dir.Path))
        {
            await store.CommitAsync(AuthSamples.CreateOwner());
        }

        Corruptor.Truncate(dir.File("auth.db"), 0);
        File.Delete(dir.File("auth-log.db"));
        var logger = new RecordingLogger();

        using var recovered = LiteAuthStore.Open(StoreFactory.Options(dir.Path), logger, TimeProvider.System);

        var file = dir.File("recovery-code.txt");
        var code = File.ReadAllLines(file)[0];
        var log = string.Join("\n", logger.Messages);
        Assert.That(recovered.Recovery?.Outcome, Is.EqualTo(StoreRecoveryOutcome.RecoveryOnboarding));
        Assert.That(code, Has.Length.EqualTo(23));
        Assert.That(log, Does.Not.Contain(code).And.Not.Contain(code.Replace("-", "", StringComparison.Ordinal)));
        Assert.That(log, Does.Contain(file).And.Contain("sudo pihub-cli onboarding code"));
        Assert.That(recovered.Recovery!.Describe(), Does.Not.Contain("journal").And.Contain("sudo pihub-cli onboarding code"));
    }
}
