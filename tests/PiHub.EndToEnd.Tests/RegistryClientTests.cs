using PiHub.Testing;

namespace PiHub.EndToEnd.Tests;

/// <summary>
/// The registries through <c>home-assistant-js-websocket</c> against the published binaries (a registry
/// type missing from the trimmed build would fail only here), configured with areas, floors and labels.
/// </summary>
[TestFixture("linux-x64")]
[TestFixture("linux-x64-jit")]
[Parallelizable(ParallelScope.None)]
public class RegistryClientTests(string flavour)
{
    internal static readonly Dictionary<string, string> Settings = new()
    {
        ["PIHUB__FLOORS__0__ID"] = "ground",
        ["PIHUB__FLOORS__0__NAME"] = "Ground floor",
        ["PIHUB__FLOORS__0__LEVEL"] = "0",
        ["PIHUB__AREAS__0__ID"] = "porch",
        ["PIHUB__AREAS__0__NAME"] = "Porch",
        ["PIHUB__AREAS__0__FLOOR"] = "ground",
        ["PIHUB__AREAS__1__ID"] = "kitchen",
        ["PIHUB__AREAS__1__NAME"] = "Kitchen",
        ["PIHUB__LABELS__0__ID"] = "lights",
        ["PIHUB__LABELS__0__NAME"] = "Lights",
        ["PIHUB__LABELS__0__COLOR"] = "amber",
        ["PIHUB__INPUT_BOOLEAN__PORCH__AREA"] = "porch",
        ["PIHUB__INPUT_BOOLEAN__PORCH__LABELS__0"] = "lights",
    };

    [Test]
    public async Task HomeAssistantJsClient_Registries_ListedAsConfigured()
    {
        await using var hub = await PiHubProcess.StartAsync(PublishedBinary.PathOf(flavour), [], settings: Settings);

        var result = await NodeScript.RunAsync("registries.mjs", TimeSpan.FromSeconds(60), hub.BaseUri.ToString().TrimEnd('/'));

        Assert.That(result.ExitCode, Is.Zero, result.Output + result.Error + hub.Output);
        Assert.That(result.Output, Does.Contain("\"step\":\"render_template\""));
    }
}
