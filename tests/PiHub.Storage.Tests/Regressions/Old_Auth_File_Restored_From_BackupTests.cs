using PiHub.Core.Auth.Storage;
using PiHub.Storage.Tests.Support;

namespace PiHub.Storage.Tests.Regressions;

/// <summary>
/// The user thread: "I had a backup of the configuration directory and restored that". An older
/// auth.db put back beside newer snapshots (or a log cut at a page boundary) opened as a valid
/// store and silently served the older users. A newer snapshot now wins and the loss is reported.
/// </summary>
public sealed class Old_Auth_File_Restored_From_BackupTests
{
    [Test]
    public async Task Open_FileOlderThanNewestSnapshot_RestoresSnapshotAndReportsWhy()
    {
        using var dir = new TempDir();
        var backup = dir.File("backup-auth.db");
        using (var store = StoreFactory.Open(dir.Path))
        {
            await store.CommitAsync(AuthSamples.CreateOwner());
            await store.CheckpointAsync();
            File.Copy(dir.File("auth.db"), backup); // the "backup", taken at generation 1
            await store.CommitAsync(AuthSamples.AddUser(2));
            await store.CommitAsync(AuthSamples.AddUser(3));
            await store.SnapshotAsync(); // generation 3
        }

        File.Copy(backup, dir.File("auth.db"), overwrite: true);
        File.Delete(dir.File("auth-log.db"));
        File.Create(dir.File("auth-log.db")).Dispose();

        using var reopened = StoreFactory.Open(dir.Path);

        Assert.That(reopened.Recovery?.Outcome, Is.EqualTo(StoreRecoveryOutcome.RestoredFromSnapshot));
        Assert.That(reopened.Recovery!.Problem, Does.Contain("snapshot generation 3 is newer"));
        Assert.That(reopened.Current.Users.Keys, Does.Contain("u2").And.Contain("u3"));
        Assert.That(reopened.Current.Owner?.Name, Is.EqualTo("Alice"));
    }
}
