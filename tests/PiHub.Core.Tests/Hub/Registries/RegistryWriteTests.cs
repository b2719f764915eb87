using Microsoft.Extensions.Time.Testing;
using PiHub.Core.Hub;
using PiHub.Core.Hub.Registries;
using PiHub.Testing;

namespace PiHub.Core.Tests.Hub.Registries;

/// <summary>A registry change waits for the disk without holding a thread or the readers (issue 23).</summary>
public class RegistryWriteTests
{
    private static readonly HubInfo Info = new("Home", "UTC", "metric", "0.1.0");
    private static readonly RegistryConfig Config = new([], [], [], new DeviceEntry("pihub", "hub", "PiHub"));

    [Test]
    public async Task RegisterAsync_StoreWriteHeld_ReturnsPendingWhileReadsProceed()
    {
        var store = new InMemoryHubStore();
        var hub = new HubCore(Info, store, [], new FakeTimeProvider());
        await hub.Registries.StartAsync(Config);
        var disk = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        store.HoldWritesUntil = disk.Task;

        // Both calls come back on this thread while the disk holds the first write: no thread waits on it.
        var first = hub.Registries.RegisterAsync(new RegistryEntry("switch.pump", "gpio", "gpio17"));
        var second = hub.Registries.RegisterAsync(new RegistryEntry("switch.fan", "gpio", "gpio18"));
        var duringWrite = hub.Registries.Snapshot();

        Assert.That(first.IsCompleted || second.IsCompleted, Is.False);
        Assert.That(duringWrite.Entities, Is.Empty);
        Assert.That(duringWrite.HubDeviceId, Is.Not.Null);
        disk.SetResult();
        await Task.WhenAll(first, second);
        Assert.That(hub.Registries.Snapshot().Entities.Select(e => e.Item.EntityId), Is.EqualTo(new[] { "switch.fan", "switch.pump" }));
    }

    [Test]
    public async Task UnregisterAsync_StoreWriteHeld_EntityListedUntilTheDeleteLands()
    {
        var store = new InMemoryHubStore();
        var hub = new HubCore(Info, store, [], new FakeTimeProvider());
        await hub.Registries.StartAsync(Config);
        await hub.Registries.RegisterAsync(new RegistryEntry("switch.pump", "gpio", "gpio17"));
        var disk = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        store.HoldWritesUntil = disk.Task;

        var removing = hub.Registries.UnregisterAsync("switch.pump");

        Assert.That(removing.IsCompleted, Is.False);
        Assert.That(hub.Registries.Snapshot().Entity("switch.pump"), Is.Not.Null);
        disk.SetResult();
        Assert.That(await removing, Is.True);
        Assert.That(hub.Registries.Snapshot().Entity("switch.pump"), Is.Null);
    }

    [Test]
    public async Task Register_AfterStart_RefusedWithTheAsyncWay()
    {
        var hub = new HubCore(Info, new InMemoryHubStore(), [], new FakeTimeProvider());
        await hub.Registries.StartAsync(Config);

        var error = Assert.Throws<InvalidOperationException>(() => hub.Registries.Register(new RegistryEntry("switch.pump", "gpio", "gpio17")));

        Assert.That(error!.Message, Does.Contain("RegisterAsync"));
    }
}
