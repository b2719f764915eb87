using System.Runtime.Versioning;
using PiHub.Testing;

namespace PiHub.EndToEnd.Tests.Regressions;

/// <summary>
/// The project asked for the workstation GC with a property name the SDK does not read
/// (<c>ServerGarbageCollector</c>, not <c>ServerGarbageCollection</c>), so the published binaries ran the
/// Web SDK's default, the server GC: a GC thread and heap per core on a Pi that has 1–4 cores and
/// little memory. What a person sees in <c>ps -L</c> or <c>/proc/&lt;pid&gt;/task</c> is the check here.
/// </summary>
[TestFixture("linux-x64")]
[TestFixture("linux-x64-jit")]
[SupportedOSPlatform("linux")]
public class ServerGcOnAPiTests(string flavour)
{
    [Test]
    public async Task PublishedBinary_Running_HasNoServerGcThread()
    {
        await using var hub = await PiHubProcess.StartAsync(PublishedBinary.PathOf(flavour), []);

        var threads = hub.ThreadNames();

        Assert.That(threads, Has.Count.GreaterThan(1), "the hub's threads could not be listed");
        Assert.That(threads, Has.None.StartsWith(".NET Server GC"), string.Join(", ", threads));
    }
}
