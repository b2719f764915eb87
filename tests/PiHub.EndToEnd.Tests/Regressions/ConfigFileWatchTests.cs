using System.Runtime.Versioning;
using PiHub.Testing;

namespace PiHub.EndToEnd.Tests.Regressions;

/// <summary>
/// Both of the hub's hosts (HTTP and the admin socket) watched their content root to reload an
/// <c>appsettings.json</c> PiHub never reads: a ".NET File Watch" thread and an inotify watch each, 1.4 MB of
/// idle RSS on x64 (issue 15). PiHub's settings come from its YAML file, read once at start-up. What a person
/// sees in <c>ps -L</c> or <c>/proc/&lt;pid&gt;/task</c> is the check here.
/// </summary>
[TestFixture("linux-x64")]
[TestFixture("linux-x64-jit")]
[SupportedOSPlatform("linux")]
public class ConfigFileWatchTests(string flavour)
{
    [Test]
    public async Task PublishedBinary_Running_HasNoFileWatchThread()
    {
        await using var hub = await PiHubProcess.StartAsync(PublishedBinary.PathOf(flavour), []);

        var threads = hub.ThreadNames();

        Assert.That(threads, Has.Count.GreaterThan(1), "the hub's threads could not be listed");
        Assert.That(threads, Has.None.StartsWith(".NET File Watch"), string.Join(", ", threads));
    }
}
