using Microsoft.AspNetCore.Builder;
using PiHub.Server.Hosting;
using PiHub.Server.Tests.Infrastructure;

namespace PiHub.Server.Tests.Regressions;

/// <summary>
/// Issue 23: the start-up log said "No owner yet: open http://127.0.0.1:8123/ to create one" when the hub listened
/// elsewhere (started with --urls, or on a port the system chose), and a plain GET of /api/websocket pointed at port
/// 8123: the address a message names is the one the hub listens on, or the one the client used.
/// </summary>
public sealed class OwnerHintNamesListenAddressTests
{
    [Test]
    public async Task StartUp_WithUrls_NamesTheUrlsAddress()
    {
        var (hint, address) = await OwnerHintAsync(["--urls", "http://127.0.0.1:0"], []);

        Assert.That(hint, Is.EqualTo($"No owner yet: open {address}/ to create one"));
        Assert.That(hint, Does.Not.Contain(":8123"));
    }

    [Test]
    public async Task StartUp_PortChosenBySystem_NamesThePortItGot()
    {
        var (hint, address) = await OwnerHintAsync([], new() { ["http:server_port"] = "0" });

        Assert.That(hint, Is.EqualTo($"No owner yet: open {address}/ to create one"));
        Assert.That(address, Does.Not.EndWith(":0"));
    }

    [Test]
    public async Task WebSocketHint_PlainGet_NamesTheAddressUsed()
    {
        await using var hub = await TestHub.StartAsync();

        var answer = await TestHub.JsonAsync(await hub.Http.GetAsync("api/websocket"));

        Assert.That(answer["message"]!.GetValue<string>(), Does.Contain($"(ws://{hub.Api.BaseUri.Authority}/api/websocket)"));
    }

    [TestCase("http://0.0.0.0:8200", "http://pihub.local:8200/ (or this machine's IP address, port 8200)")]
    [TestCase("http://[::]:8123", "http://pihub.local:8123/ (or this machine's IP address, port 8123)")]
    [TestCase("http://127.0.0.1:18390", "http://127.0.0.1:18390/")]
    [TestCase("http://[::1]:18390", "http://[::1]:18390/")]
    public void ForPeople_Address_WhatAPersonOpens(string address, string shown)
    {
        Assert.That(ListenAddresses.ForPeople([address], "pihub"), Is.EqualTo(shown));
    }

    /// <summary>Starts a hub without an owner and returns its "No owner yet" line and the address it listens on.</summary>
    private static async Task<(string Hint, string Address)> OwnerHintAsync(string[] args, Dictionary<string, string?> settings)
    {
        var dataDir = Directory.CreateTempSubdirectory("pihub-test-").FullName;
        var logs = new CapturedLogs();
        var overrides = new Dictionary<string, string?> { ["storage:data_dir"] = dataDir, ["http:server_host"] = "127.0.0.1" };
        foreach (var (key, value) in settings) overrides[key] = value;
        var app = PiHubApplication.Build(args, overrides, null, logs.AddTo);
        try
        {
            await app.StartAsync();
            var address = ListenAddresses.Of(app).Single();
            var hint = logs.Lines.Select(l => l.Text).Single(t => t.StartsWith("No owner yet", StringComparison.Ordinal));
            return (hint, address);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
