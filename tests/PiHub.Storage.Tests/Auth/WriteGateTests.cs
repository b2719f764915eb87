using Microsoft.Extensions.Logging.Abstractions;
using PiHub.Core;
using PiHub.Core.Auth.Storage;
using PiHub.Core.Hub;
using PiHub.Core.Power;
using PiHub.Storage.Hub;
using PiHub.Storage.Tests.Support;

namespace PiHub.Storage.Tests.Auth;

/// <summary>The stores under a closed <see cref="WriteGate"/>: nothing new is written, reads go on.</summary>
public class WriteGateTests
{
    [Test]
    public async Task AuthCommit_GatePaused_PowerFailingAndNothingWritten()
    {
        using var dir = new TempDir();
        var gate = new WriteGate();
        var options = StoreFactory.Options(dir.Path);
        options.WriteGate = gate;
        using (var store = StoreFactory.Open(options))
        {
            await store.CommitAsync(AuthSamples.CreateOwner());
            gate.Pause();

            var ex = Assert.ThrowsAsync<AuthStoreException>(() => store.CommitAsync(new AuthChangeSet("token").Put(AuthSamples.Token(1))));

            Assert.That(ex!.Error, Is.EqualTo(AuthStoreError.PowerFailing));
            Assert.That(StoreRefusedException.In(ex), Is.Not.Null.And.Property(nameof(StoreRefusedException.Code)).EqualTo(StoreRefusalCodes.PowerFailing)
                .And.Property(nameof(StoreRefusedException.Store)).EqualTo("auth"));
            Assert.That(store.Current.RefreshTokens, Is.Empty);
            Assert.That(store.IsReadOnly, Is.True);
            Assert.That(gate.Refused.Items.Single().What, Is.EqualTo("token"));
        }

        using var reopened = StoreFactory.Open(dir.Path);
        Assert.That(reopened.Current.RefreshTokens, Is.Empty);
    }

    [Test]
    public async Task AuthCommits_GateClosesMidStream_EachAcknowledgedOneOnDiskEveryOtherRefused()
    {
        using var dir = new TempDir();
        var gate = new WriteGate();
        var options = StoreFactory.Options(dir.Path);
        options.WriteGate = gate;
        var acknowledged = new List<string>();
        using (var store = StoreFactory.Open(options))
        {
            await store.CommitAsync(AuthSamples.CreateOwner());
            var commits = Enumerable.Range(0, 40).Select(n => store.CommitAsync(new AuthChangeSet($"t{n}").Put(AuthSamples.Token(n)))).ToList();
            await commits[5];
            gate.Pause();
            await store.CheckpointAsync();

            for (var n = 0; n < commits.Count; n++)
            {
                try
                {
                    await commits[n];
                    acknowledged.Add($"t{n}");
                }
                catch (AuthStoreException ex)
                {
                    Assert.That(ex.Error, Is.EqualTo(AuthStoreError.PowerFailing));
                }
            }
        }

        using var reopened = StoreFactory.Open(dir.Path);
        Assert.That(acknowledged, Has.Count.GreaterThanOrEqualTo(6));
        Assert.That(reopened.Current.RefreshTokens.Keys, Is.EquivalentTo(acknowledged));
    }

    [Test]
    public async Task HubPut_GatePaused_HubExceptionPowerFailingAndReadsWork()
    {
        using var dir = new TempDir();
        var gate = new WriteGate();
        using var store = LiteHubStore.Open(dir.Path, NullLogger.Instance, TimeProvider.System, gate: gate);
        await store.PutAsync("notes", "a", "1");
        gate.Pause();

        var ex = Assert.ThrowsAsync<HubException>(() => store.PutAsync("notes", "a", "2"));
        var delete = Assert.ThrowsAsync<HubException>(() => store.DeleteAsync("notes", "a"));

        Assert.That(ex!.Code, Is.EqualTo(WriteGate.Code));
        Assert.That(ex.Message, Is.EqualTo(WriteGate.Message));
        Assert.That(delete!.Code, Is.EqualTo(WriteGate.Code));
        Assert.That(StoreRefusedException.In(ex), Is.Not.Null.And.Property(nameof(StoreRefusedException.Code)).EqualTo(StoreRefusalCodes.PowerFailing)
            .And.Property(nameof(StoreRefusedException.Store)).EqualTo("hub"));
        Assert.That(StoreRefusedException.IsPowerFailing(delete), Is.True);
        Assert.That(store.LoadAll("notes")["a"], Is.EqualTo("1"));
    }
}
