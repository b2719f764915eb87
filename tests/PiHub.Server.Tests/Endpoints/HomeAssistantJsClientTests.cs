using System.Text.Json.Nodes;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Testing;

namespace PiHub.Server.Tests.Endpoints;

/// <summary>The npm package home-assistant-js-websocket, run by Node, against a real in-process Kestrel.</summary>
public class HomeAssistantJsClientTests
{
    /// <summary>Every step flow.mjs reports, in order.</summary>
    public static readonly string[] FlowSteps =
    [
        "onboarding", "token", "createConnection", "getUser", "long_lived_access_token",
        "connect with long-lived token", "subscribeEntities", "subscribeEvents", "bad token",
    ];

    [Test]
    public async Task FullClientFlow_FreshHub_EveryStepPasses()
    {
        await using var hub = await TestHub.StartAsync();

        var result = await NodeScript.RunAsync("flow.mjs", TimeSpan.FromSeconds(60), hub.Api.BaseUri.ToString().TrimEnd('/'));

        var steps = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.That(result.ExitCode, Is.Zero, result.Output + result.Error);
        Assert.That(steps.Select(s => s["step"]!.GetValue<string>()), Is.EqualTo(FlowSteps));
        Assert.That(steps.Single(s => s["step"]!.GetValue<string>() == "getUser")["is_owner"]!.GetValue<bool>(), Is.True);
    }
}
