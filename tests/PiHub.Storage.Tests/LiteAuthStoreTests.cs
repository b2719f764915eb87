using PiHub.Core;
using PiHub.Core.Auth.Model;
using PiHub.Core.Auth.Storage;
using PiHub.Storage.Tests.Support;

namespace PiHub.Storage.Tests;

public sealed class LiteAuthStoreTests
{
    private TempDir _dir = null!;

    [SetUp]
    public void SetUp() => _dir = new TempDir();

    [TearDown]
    public void TearDown() => _dir.Dispose();

    [Test]
    public void Open_EmptyDirectory_FreshStoreWithOnboardingOpen()
    {
        using var store = StoreFactory.Open(_dir.Path);

        Assert.That(store.Recovery, Is.Null);
        Assert.That(store.Current.Users, Is.Empty);
        Assert.That(store.Current.Onboarding.UserDone, Is.False);
        Assert.That(store.Current.Onboarding.RecoveryMode, Is.False);
        Assert.That(File.Exists(_dir.File("auth.db")), Is.True);
    }

    [Test]
    public async Task CommitAsync_EveryRecordKind_RoundTripsEveryPropertyAfterReopen()
    {
        var changes = AuthSamples.EveryKind();
        using (var store = StoreFactory.Open(_dir.Path))
        {
            await store.CommitAsync(AuthSamples.CreateOwner());
            await store.CommitAsync(changes);
        }

        using var reopened = StoreFactory.Open(_dir.Path);
        Assert.That(reopened.Recovery, Is.Null);
        Assert.That(reopened.Current.Generation, Is.EqualTo(2));
        var all = reopened.Current.AllRecords().ToList();
        foreach (var change in changes.Changes)
        {
            RecordAssert.Same(all.FirstOrDefault(r => r.Kind == change.Kind && r.Id == change.Id), change.Record!);
        }

        RecordAssert.Same(reopened.Current.Users["owner1"], AuthSamples.Owner());
    }

    [Test]
    public async Task CommitAsync_Delete_RemovesDocumentAfterReopen()
    {
        using (var store = StoreFactory.Open(_dir.Path))
        {
            await store.CommitAsync(AuthSamples.CreateOwner());
            await store.CommitAsync(new AuthChangeSet("token").Put(AuthSamples.Token(1)));
            await store.CommitAsync(new AuthChangeSet("revoke").Delete(AuthRecordKind.RefreshToken, "t1"));
        }

        using var reopened = StoreFactory.Open(_dir.Path);
        Assert.That(reopened.Current.RefreshTokens, Is.Empty);
        Assert.That(reopened.Current.Generation, Is.EqualTo(3));
    }

    [Test]
    public async Task CommitAsync_SecondOwner_RefusedWithInvariantViolatedAndNothingWritten()
    {
        using var store = StoreFactory.Open(_dir.Path);
        await store.CommitAsync(AuthSamples.CreateOwner());

        var ex = Assert.ThrowsAsync<AuthStoreException>(() =>
            store.CommitAsync(new AuthChangeSet("second owner").Put(AuthSamples.Owner("o2", "Mallory"))));

        Assert.That(ex!.Error, Is.EqualTo(AuthStoreError.InvariantViolated));
        Assert.That(ex.Message, Does.Contain("2 owners"));
        Assert.That(store.Current.Generation, Is.EqualTo(1));
        store.Dispose();
        using var reopened = StoreFactory.Open(_dir.Path);
        Assert.That(reopened.Current.Users.Keys, Is.EquivalentTo(new[] { "owner1" }));
    }

    [Test]
    public void CommitAsync_TokenOfMissingUser_RefusedWithInvariantViolated()
    {
        using var store = StoreFactory.Open(_dir.Path);

        var ex = Assert.ThrowsAsync<AuthStoreException>(() =>
            store.CommitAsync(new AuthChangeSet("dangling").Put(AuthSamples.Token(1, "nobody"))));

        Assert.That(ex!.Error, Is.EqualTo(AuthStoreError.InvariantViolated));
        Assert.That(store.Current.Generation, Is.Zero);
    }

    [Test]
    public async Task CommitAsync_ReadOnly_RefusedWithReasonUntilLeft()
    {
        using var store = StoreFactory.Open(_dir.Path);
        store.EnterReadOnly("power is failing");

        var ex = Assert.ThrowsAsync<AuthStoreException>(() => store.CommitAsync(AuthSamples.CreateOwner()));

        Assert.That(ex!.Error, Is.EqualTo(AuthStoreError.ReadOnly));
        Assert.That(ex.Message, Does.Contain("power is failing"));
        Assert.That(StoreRefusedException.In(ex)?.Code, Is.EqualTo(StoreRefusalCodes.ReadOnly));
        Assert.That(StoreRefusedException.IsPowerFailing(ex), Is.False);
        Assert.That(store.IsReadOnly, Is.True);
        store.LeaveReadOnly();
        await store.CommitAsync(AuthSamples.CreateOwner());
        Assert.That(store.Current.Owner?.Name, Is.EqualTo("Alice"));
    }

    [Test]
    public void Open_AlreadyOpen_LockedNamingTheProcess()
    {
        using var first = StoreFactory.Open(_dir.Path);

        var ex = Assert.Throws<AuthStoreException>(() => StoreFactory.Open(_dir.Path));

        Assert.That(ex!.Error, Is.EqualTo(AuthStoreError.Locked));
        Assert.That(ex.Message, Does.Contain($"process {Environment.ProcessId} ("));
    }

    [Test]
    public async Task Open_AfterDispose_LockReleasedAndDataKept()
    {
        var first = StoreFactory.Open(_dir.Path);
        await first.CommitAsync(AuthSamples.CreateOwner());
        first.Dispose();

        using var second = StoreFactory.Open(_dir.Path);

        Assert.That(second.Current.Owner?.Id, Is.EqualTo("owner1"));
    }

    [Test]
    public async Task CheckpointAsync_AfterCommits_EmptiesLogAndKeepsData()
    {
        using (var store = StoreFactory.Open(_dir.Path))
        {
            await store.CommitAsync(AuthSamples.CreateOwner());
            Assert.That(new FileInfo(_dir.File("auth-log.db")).Length, Is.GreaterThan(0));

            await store.CheckpointAsync();

            Assert.That(new FileInfo(_dir.File("auth-log.db")).Length, Is.Zero);
        }

        using var reopened = StoreFactory.Open(_dir.Path);
        Assert.That(reopened.Current.Owner?.Id, Is.EqualTo("owner1"));
    }

    [Test]
    public async Task CommitAsync_Concurrent_AllCommittedInSomeOrder()
    {
        using var store = StoreFactory.Open(_dir.Path);
        await store.CommitAsync(AuthSamples.CreateOwner());

        await Task.WhenAll(Enumerable.Range(1, 20).Select(n => store.CommitAsync(AuthSamples.AddUser(n))));

        Assert.That(store.Current.Users, Has.Count.EqualTo(21));
        Assert.That(store.Current.Generation, Is.EqualTo(21));
    }
}
