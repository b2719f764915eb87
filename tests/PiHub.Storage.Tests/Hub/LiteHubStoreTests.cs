using Microsoft.Extensions.Logging.Abstractions;
using PiHub.Storage.Hub;
using PiHub.Storage.Tests.Support;

namespace PiHub.Storage.Tests.Hub;

public sealed class LiteHubStoreTests
{
    private TempDir _dir = null!;

    [SetUp]
    public void SetUp() => _dir = new TempDir();

    [TearDown]
    public void TearDown() => _dir.Dispose();

    [Test]
    public async Task PutAsync_ThenReopen_LoadAllReturnsLatestValues()
    {
        using (var store = Open())
        {
            await store.PutAsync("restore_state", "input_boolean.away", """{"state":"on"}""");
            await store.PutAsync("restore_state", "input_number.temp", "21.5");
            await store.PutAsync("restore_state", "input_boolean.away", """{"state":"off"}""");
            await store.PutAsync("notifications", "n1", """{"title":"Auth store restored"}""");
            await store.DeleteAsync("restore_state", "input_number.temp");
        }

        using var reopened = Open();
        Assert.That(reopened.LoadAll("restore_state"), Is.EquivalentTo(new Dictionary<string, string>
        {
            ["input_boolean.away"] = """{"state":"off"}""",
        }));
        Assert.That(reopened.LoadAll("notifications"), Has.Count.EqualTo(1));
        Assert.That(reopened.LoadAll("never_written"), Is.Empty);
    }

    [Test]
    public async Task LoadAll_AfterPutsAndDeleteWithoutReopen_SeesExactlyWhatWasWritten()
    {
        using var store = Open();
        await store.PutAsync("restore_state", "a", "1");
        await store.PutAsync("restore_state", "b", "2");
        await store.DeleteAsync("restore_state", "a");
        await store.PutAsync("restore_state", "b", "3");

        Assert.That(store.LoadAll("restore_state"), Is.EquivalentTo(new Dictionary<string, string> { ["b"] = "3" }));
        Assert.That(store.LoadAll("notifications"), Is.Empty);
    }

    [Test]
    public void PutAsync_InvalidCollectionName_Refused()
    {
        using var store = Open();

        Assert.ThrowsAsync<ArgumentException>(() => store.PutAsync("../x", "k", "1"));
    }

    [Test]
    public async Task Open_DamagedFile_MovedAsideAndStartsEmpty()
    {
        using (var store = Open()) await store.PutAsync("restore_state", "a", "1");
        Corruptor.Zero(_dir.File("hub.db"), 0, Corruptor.Page);

        using var reopened = Open();

        Assert.That(reopened.LoadAll("restore_state"), Is.Empty);
        Assert.That(Directory.GetFiles(_dir.Path, "hub.db.corrupt-*"), Has.Length.EqualTo(1));
    }

    [Test]
    public void Open_Twice_SecondRefusedWhileFirstOpen()
    {
        using var first = Open();

        Assert.That(() => Open(), Throws.TypeOf<PiHub.Core.Auth.Storage.AuthStoreException>());
    }

    private LiteHubStore Open() => LiteHubStore.Open(_dir.Path, NullLogger.Instance, TimeProvider.System);
}
