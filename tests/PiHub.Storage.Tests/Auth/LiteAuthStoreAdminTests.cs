using Microsoft.Extensions.Logging.Abstractions;
using PiHub.Core.Admin;
using PiHub.Storage.Tests.Support;

namespace PiHub.Storage.Tests.Auth;

/// <summary>The admin engine <c>pihub-cli</c> runs on: snapshots, backups, the check, private copies.</summary>
public sealed class LiteAuthStoreAdminTests
{
    private TempDir _dir = null!;

    [SetUp]
    public void SetUp() => _dir = new TempDir();

    [TearDown]
    public void TearDown() => _dir.Dispose();

    [Test]
    public async Task TakeSnapshotAsync_AfterCommit_ListedNewestFirstAndReadableByName()
    {
        using var store = StoreFactory.Open(_dir.Path);
        await store.CommitAsync(AuthSamples.CreateOwner());
        var first = await store.Admin.TakeSnapshotAsync();
        await store.CommitAsync(AuthSamples.AddUser(1));

        var second = await store.Admin.TakeSnapshotAsync();

        var listed = store.Admin.ListSnapshots();
        Assert.That(listed.Select(s => s.Name), Is.EqualTo(new[] { second.Name, first.Name }));
        Assert.That(second.Generation, Is.EqualTo(store.Current.Generation));
        Assert.That(second.Bytes, Is.GreaterThan(0));
        Assert.That(store.Admin.ReadSnapshot(first.Name).Users.Keys, Is.EqualTo(new[] { "owner1" }));
    }

    [Test]
    public void ReadSnapshot_PathOrUnknownName_RefusedWithUsageOrNotFound()
    {
        using var store = StoreFactory.Open(_dir.Path);

        var path = Assert.Throws<AdminException>(() => store.Admin.ReadSnapshot("../auth.db"))!;
        var unknown = Assert.Throws<AdminException>(() => store.Admin.ReadSnapshot("auth-g0000000042-20261126T180000000Z.db"))!;

        Assert.That(path.Code, Is.EqualTo(AdminException.InvalidRequestCode));
        Assert.That(path.Failure, Is.EqualTo(AdminFailure.Usage));
        Assert.That(unknown.Failure, Is.EqualTo(AdminFailure.Failed));
    }

    [Test]
    public async Task BackupAsync_ThenReadBackup_SameUsersAndGeneration()
    {
        using var store = StoreFactory.Open(_dir.Path);
        await store.CommitAsync(AuthSamples.CreateOwner());
        await store.CommitAsync(AuthSamples.AddUser(1));

        var backup = await store.Admin.BackupAsync();
        var restored = store.Admin.ReadBackup(backup, "backup.db");

        Assert.That(restored.Generation, Is.EqualTo(store.Current.Generation));
        Assert.That(restored.Users.Keys, Is.EquivalentTo(store.Current.Users.Keys));
        Assert.That(Directory.EnumerateFiles(_dir.Path, ".backup-*"), Is.Empty, "the temporary backup file is deleted");
    }

    [Test]
    public void ReadBackup_NotAStore_InvalidBackup()
    {
        using var store = StoreFactory.Open(_dir.Path);

        var error = Assert.Throws<AdminException>(() => store.Admin.ReadBackup("not a database"u8.ToArray(), "notes.txt"))!;

        Assert.That(error.Code, Is.EqualTo("invalid_backup"));
        Assert.That(Directory.EnumerateFiles(_dir.Path, ".restore-*"), Is.Empty);
    }

    [Test]
    public async Task CheckAsync_HealthyStore_HealthyWithCurrentGenerationAndNoCopyLeft()
    {
        using var store = StoreFactory.Open(_dir.Path);
        await store.CommitAsync(AuthSamples.CreateOwner());
        await store.Admin.TakeSnapshotAsync();

        var report = await store.Admin.CheckAsync();

        Assert.That(report.Healthy, Is.True, string.Join("; ", report.Problems));
        Assert.That(report.Generation, Is.EqualTo(store.Current.Generation));
        Assert.That(report.Snapshots, Has.Count.EqualTo(1));
        Assert.That(Directory.EnumerateDirectories(_dir.Path, ".check-*"), Is.Empty);
    }

    [Test]
    public async Task OpenCopy_StoppedHub_ReportsRealPathsAndDeletesCopyOnDispose()
    {
        using (var store = StoreFactory.Open(_dir.Path)) await store.CommitAsync(AuthSamples.CreateOwner());

        string copyDir;
        using (var copy = LiteAuthStore.OpenCopy(StoreFactory.Options(_dir.Path), NullLogger.Instance, TimeProvider.System))
        {
            var admin = copy.Store.Admin;
            Assert.That(admin.IsPrivateCopy, Is.True);
            Assert.That(admin.StoreDirectory, Is.EqualTo(Path.GetFullPath(_dir.Path)));
            Assert.That(admin.DataFile, Is.EqualTo(Path.Combine(Path.GetFullPath(_dir.Path), "auth.db")));
            Assert.That(copy.Store.Current.Users.Keys, Is.EqualTo(new[] { "owner1" }));
            copyDir = copy.Store.Directory;
        }

        Assert.That(Directory.Exists(copyDir), Is.False);
    }

    [Test]
    public void WriteRecoveryCodeFile_NewCode_FileHoldsCodeAndHashDiffers()
    {
        using var store = StoreFactory.Open(_dir.Path);
        var (code, hash) = store.Admin.NewRecoveryCode();

        var path = store.Admin.WriteRecoveryCodeFile(code);

        Assert.That(File.ReadAllText(path), Does.Contain(code));
        Assert.That(hash, Is.Not.EqualTo(code).And.Not.Empty);
    }

    [Test]
    public async Task Dispose_WithBackgroundMaintenance_SnapshotsUnsnapshottedChanges()
    {
        var options = StoreFactory.Options(_dir.Path, background: true);
        options.SnapshotMinInterval = TimeSpan.FromHours(1);
        var store = StoreFactory.Open(options);
        await store.CommitAsync(AuthSamples.CreateOwner());

        store.Dispose();

        using var reopened = StoreFactory.Open(_dir.Path);
        Assert.That(reopened.Admin.ListSnapshots().First().Generation, Is.EqualTo(reopened.Current.Generation));
    }
}
