using PiHub.Core.Auth.Storage;
using PiHub.Storage.Tests.Support;

namespace PiHub.Storage.Tests.Auth;

public sealed class WriteFailureTests
{
    [Test]
    public async Task CommitAsync_DiskFull_WriteFailedAndPreviousStateIntact()
    {
        using var dir = new TempDir();
        var failing = false;
        var options = StoreFactory.Options(dir.Path);
        options.StreamWrapper = (stream, _) => new FailingStream(stream, () => failing);
        using (var store = StoreFactory.Open(options))
        {
            await store.CommitAsync(AuthSamples.CreateOwner());
            failing = true;

            var ex = Assert.ThrowsAsync<AuthStoreException>(() => store.CommitAsync(AuthSamples.AddUser(1)));

            Assert.That(ex!.Error, Is.EqualTo(AuthStoreError.WriteFailed));
            Assert.That(ex.Message, Does.Contain("No space left on device").And.Contain("add user u1").And.Contain("df -h"));
            Assert.That(store.Current.Generation, Is.EqualTo(1));
            Assert.That(store.Current.Users.ContainsKey("u1"), Is.False);

            failing = false;
            await store.CommitAsync(AuthSamples.AddUser(2));
            Assert.That(store.Current.Generation, Is.EqualTo(2));
        }

        using var reopened = StoreFactory.Open(dir.Path);
        Assert.That(reopened.Recovery, Is.Null);
        Assert.That(reopened.Current.Users.Keys, Is.EquivalentTo(new[] { "owner1", "u2" }));
    }
}
