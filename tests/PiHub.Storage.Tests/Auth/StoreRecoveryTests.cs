using LiteDB;
using LiteDB.Engine;
using PiHub.Core.Auth.Storage;
using PiHub.Storage.Tests.Support;

namespace PiHub.Storage.Tests.Auth;

/// <summary>
/// Every corruption case of the issue ends in a store that validates with the right owner,
/// a snapshot restore that reports the loss, or recovery-mode onboarding; never anything else.
/// </summary>
public sealed class StoreRecoveryTests
{
    private const int Users = 6;
    private TempDir _dir = null!;

    [SetUp]
    public void SetUp() => _dir = new TempDir();

    [TearDown]
    public void TearDown() => _dir.Dispose();

    public enum Damage
    {
        TruncateToZero, TruncateToOnePage, TruncateToHalf, ZeroHeader, ZeroDataPages,
        Flip1, Flip16, Flip256, TruncateLog, DeleteLog, DeleteDataLeaveBackup, LeaveTempBeside,
    }

    [Test]
    public async Task Open_Damaged_EndsValidRestoredOrRecoveryOnboarding(
        [Values] Damage damage, [Values] bool withSnapshot, [Values(1, 2)] int seed)
    {
        // Arrange: owner + users, a snapshot at generation 3, more commits left in the log.
        await BuildStore(withSnapshot, crashed: damage is Damage.TruncateLog or Damage.DeleteLog);
        Apply(damage, seed);

        // Act
        using var store = StoreFactory.Open(_dir.Path);

        // Assert
        AssertSafe(store, withSnapshot);
    }

    [Test]
    public async Task Open_DamagedDocument_RestoresSnapshotSalvagesNewerUserAndReportsLoss()
    {
        await BuildStore(withSnapshot: true, crashed: false);
        // A document whose content no longer matches its checksum, as a bit flip would leave it.
        using (var engine = new LiteEngine(_dir.File("auth.db")))
        {
            var doc = engine.Query("users", new Query()).ToEnumerable().First(d => d["_id"] == "owner1").AsDocument;
            doc["name"] = "Mallory";
            engine.Update("users", [doc]);
        }

        using var store = StoreFactory.Open(_dir.Path);

        Assert.That(store.Recovery?.Outcome, Is.EqualTo(StoreRecoveryOutcome.RestoredFromSnapshot));
        Assert.That(store.Current.Owner?.Name, Is.EqualTo("Alice"));
        Assert.That(store.Recovery!.Lost, Has.Some.Contains("add user u5"));
        Assert.That(store.Recovery.Salvaged, Has.Some.Contains("u5"));
        Assert.That(store.Current.Users.ContainsKey("u5"), Is.True);
        Assert.That(File.Exists(store.Recovery.MovedAsideTo), Is.True);
        Assert.That(store.Recovery.MovedAsideTo, Does.Not.Contain(":").IgnoreCase.And.Contain("auth.db.corrupt-"));
        Assert.That(store.Recovery.Describe(), Does.Contain("was restored"));
    }

    [Test]
    public async Task Open_DamagedTwice_NeverOverwritesEarlierCorruptFile()
    {
        await BuildStore(withSnapshot: true, crashed: false);
        Corruptor.Truncate(_dir.File("auth.db"), 100);
        StoreFactory.Open(_dir.Path).Dispose();
        Corruptor.Truncate(_dir.File("auth.db"), 100);

        using var store = StoreFactory.Open(_dir.Path);

        Assert.That(Directory.GetFiles(_dir.Path, "auth.db.corrupt-*"), Has.Length.EqualTo(2));
        Assert.That(store.Current.Owner?.Name, Is.EqualTo("Alice"));
    }

    /// <param name="crashed">Leave the files as a kill -9 would: the later commits only in the log.</param>
    private async Task BuildStore(bool withSnapshot, bool crashed)
    {
        var options = StoreFactory.Options(_dir.Path);
        options.CheckpointLogBytes = long.MaxValue;
        var store = StoreFactory.Open(options);
        await store.CommitAsync(AuthSamples.CreateOwner());
        for (var n = 1; n <= Users; n++)
        {
            await store.CommitAsync(AuthSamples.AddUser(n));
            if (n == 2 && withSnapshot) await store.SnapshotAsync();
            if (n == 2) await store.CheckpointAsync();
        }

        // Every write is synchronous, so copies taken now are what a kill would leave on disk.
        if (crashed) foreach (var f in new[] { "auth.db", "auth-log.db" }) File.Copy(_dir.File(f), _dir.File(f + ".crash"));
        store.Dispose();
        if (crashed) foreach (var f in new[] { "auth.db", "auth-log.db" }) File.Move(_dir.File(f + ".crash"), _dir.File(f), overwrite: true);
    }

    private void Apply(Damage damage, int seed)
    {
        var data = _dir.File("auth.db");
        var length = new FileInfo(data).Length;
        switch (damage)
        {
            case Damage.TruncateToZero: Corruptor.Truncate(data, 0); break;
            case Damage.TruncateToOnePage: Corruptor.Truncate(data, Corruptor.Page); break;
            case Damage.TruncateToHalf: Corruptor.Truncate(data, length / 2); break;
            case Damage.ZeroHeader: Corruptor.Zero(data, 0, Corruptor.Page); break;
            case Damage.ZeroDataPages: Corruptor.Zero(data, Corruptor.Page, (int)Math.Min(length - Corruptor.Page, 3 * Corruptor.Page)); break;
            case Damage.Flip1: Corruptor.FlipBytes(data, 1, seed); break;
            case Damage.Flip16: Corruptor.FlipBytes(data, 16, seed); break;
            case Damage.Flip256: Corruptor.FlipBytes(data, 256, seed); break;
            case Damage.TruncateLog: Corruptor.Truncate(_dir.File("auth-log.db"), new FileInfo(_dir.File("auth-log.db")).Length / 2); break;
            case Damage.DeleteLog: File.Delete(_dir.File("auth-log.db")); break;
            case Damage.DeleteDataLeaveBackup: File.Move(data, _dir.File("auth-backup.db")); break;
            case Damage.LeaveTempBeside: File.Copy(data, _dir.File("auth-temp.db")); break;
        }
    }

    private void AssertSafe(LiteAuthStore store, bool withSnapshot)
    {
        var current = store.Current;
        TestContext.Out.WriteLine($"outcome {store.Recovery?.Outcome}: {store.Recovery?.Problem} gen {current.Generation} lost [{string.Join(" | ", store.Recovery?.Lost ?? [])}] salvaged [{string.Join(", ", store.Recovery?.Salvaged ?? [])}]");
        Assert.That(AuthInvariants.Check(current), Is.Empty);
        switch (store.Recovery?.Outcome)
        {
            case null:
                // Validated as it was, or (truncated log) as of an earlier generation: never someone else.
                Assert.That(current.Owner?.Name, Is.EqualTo("Alice"));
                Assert.That(current.Users, Has.Count.EqualTo(current.Generation));
                break;
            case StoreRecoveryOutcome.RestoredFromSnapshot:
                Assert.That(withSnapshot, Is.True);
                Assert.That(current.Owner?.Name, Is.EqualTo("Alice"));
                Assert.That(store.Recovery.SnapshotGeneration, Is.EqualTo(3));
                Assert.That(store.Recovery.Lost, Is.Not.Empty);
                Assert.That(current.Users.Keys, Is.SupersetOf(new[] { "owner1", "u1", "u2" }));
                break;
            case StoreRecoveryOutcome.RecoveryOnboarding:
                Assert.That(withSnapshot, Is.False, "a valid snapshot existed but was not restored");
                Assert.That(current.Owner, Is.Null);
                Assert.That(current.Onboarding.UserDone, Is.False);
                Assert.That(current.Onboarding.RecoveryMode, Is.True);
                var codeFile = store.Recovery.RecoveryCodeFile!;
                var code = File.ReadAllLines(codeFile)[0];
                Assert.That(current.Onboarding.RecoveryCodeHash, Is.EqualTo(
                    Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(code)))));
                if (OperatingSystem.IsLinux())
                {
                    Assert.That(File.GetUnixFileMode(codeFile), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
                }

                break;
        }
    }
}
