using System.Text.Json.Nodes;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Testing;

namespace PiHub.Server.Tests.History;

/// <summary>The npm package home-assistant-js-websocket reads history from a real in-process Kestrel.</summary>
public sealed class HistoryJsClientTests
{
    [Test]
    public async Task HistoryDuringPeriodAndStream_RealClientLibrary_EveryStepPasses()
    {
        await using var hub = await TestHub.StartOnboardedAsync();

        var result = await NodeScript.RunAsync("history.mjs", TimeSpan.FromSeconds(60), hub.Api.BaseUri.ToString().TrimEnd('/'), hub.AccessToken!);

        var steps = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.That(result.ExitCode, Is.Zero, result.Output + result.Error);
        Assert.That(steps.Select(s => s["step"]!.GetValue<string>()), Is.EqualTo(new[] { "connect", "history_during_period", "history/stream" }));
    }
}
