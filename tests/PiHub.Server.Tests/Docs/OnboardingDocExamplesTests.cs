using System.Text.Json.Nodes;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Testing;

namespace PiHub.Server.Tests.Docs;

/// <summary>
/// README's "First start" examples against a hub without an owner: create the owner, exchange the code, refresh.
/// Each command runs as written, its placeholder (THE_AUTH_CODE, THE_REFRESH_TOKEN) replaced by what the
/// command before it answered, and with PIHUB_URL pointing at the test hub instead of the block's export.
/// </summary>
public sealed class OnboardingDocExamplesTests
{
    [Test]
    public async Task CurlOnboardingThenRefresh_AsWritten_OwnerCreatedAndTokensWork()
    {
        await using var hub = await TestHub.StartAsync();
        var environment = new Dictionary<string, string> { ["PIHUB_URL"] = hub.Api.BaseUri.ToString().TrimEnd('/') };
        var commands = DocShell.Commands(DocPages.Examples()["curl-onboarding"]);
        Assert.That(commands, Has.Count.EqualTo(3), "export PIHUB_URL, create the owner, exchange the code");
        Assert.That(commands[0], Does.StartWith("export PIHUB_URL="));

        var created = JsonNode.Parse(await DocShell.BashAsync(commands[1], environment))!;
        var code = created["auth_code"]?.GetValue<string>();
        Assert.That(code, Is.Not.Null, created.ToJsonString());
        var tokens = JsonNode.Parse(await DocShell.BashAsync(commands[2].Replace("THE_AUTH_CODE", code, StringComparison.Ordinal), environment))!;
        var refresh = tokens["refresh_token"]?.GetValue<string>();
        Assert.That(refresh, Is.Not.Null, tokens.ToJsonString());
        var refreshed = JsonNode.Parse(await DocShell.BashAsync(
            DocPages.Examples()["curl-refresh"].Replace("THE_REFRESH_TOKEN", refresh, StringComparison.Ordinal), environment))!;

        Assert.That(tokens["token_type"]!.GetValue<string>(), Is.EqualTo("Bearer"));
        Assert.That(refreshed["access_token"]?.GetValue<string>(), Is.Not.Null.And.Not.Empty, refreshed.ToJsonString());
        using var alice = hub.Client(refreshed["access_token"]!.GetValue<string>());
        Assert.That((await TestHub.JsonAsync(await alice.GetAsync("api/config")))["location_name"], Is.Not.Null);
    }
}
