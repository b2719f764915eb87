using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PiHub.Server.Tests.Infrastructure;

namespace PiHub.Server.Tests.Regressions;

/// <summary>
/// A login flow whose redirect_uri is off the client_id's host makes the hub read the client's page, before any flow
/// exists to count against the address. With a made-up client_id each time (a new page, past the cache) one address
/// could keep any number of those reads open against a page that answers slowly. Now each address may have two.
/// </summary>
public class ClientPageReadsUnboundedTests
{
    private const string OffHost = "com.example.app://oauth-callback";

    [Test]
    public async Task StartLoginFlow_ThirdSlowPageFromOneAddress_429WhileOtherAddressesStillRead()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var site = await ClientSite.StartAsync(app => app.MapGet("/{name}", async (HttpContext c, string name) =>
        {
            await release.Task;
            await ClientSite.Html(c, $"<html><head><link rel=\"redirect_uri\" href=\"{OffHost}\"></head><body>{name}</body></html>");
        }));
        await using var hub = await TestHub.StartAsync(services: s => ClientSite.ReadPagesOnLoopback(s));
        (await hub.OnboardAsync()).Dispose();
        using var mallory = hub.ClientFrom("127.0.0.5");
        using var alice = hub.ClientFrom("127.0.0.6");

        var first = StartFlowAsync(mallory, new Uri(site.BaseUri, "a"));
        var second = StartFlowAsync(mallory, new Uri(site.BaseUri, "b"));
        await WaitUntilAsync(() => site.Requests >= 2);
        var thirdFlow = StartFlowAsync(mallory, new Uri(site.BaseUri, "c"));
        // Answered at once, or (the bug) its page asked for as well: either way nothing waits for ever.
        await WaitUntilAsync(() => thirdFlow.IsCompleted || site.Requests >= 3);
        var others = StartFlowAsync(alice, new Uri(site.BaseUri, "d"));
        await WaitUntilAsync(() => site.Requests >= 3);
        release.SetResult();
        var answers = await Task.WhenAll(first, second, others);
        var (thirdStatus, third) = await thirdFlow;

        Assert.That(thirdStatus, Is.EqualTo(HttpStatusCode.TooManyRequests), third.ToJsonString());
        Assert.That(third["code"]!.GetValue<string>(), Is.EqualTo("too_many_requests"));
        Assert.That(third["message"]!.GetValue<string>(), Does.Contain("127.0.0.5").And.Contain("Try again in a few seconds"));
        Assert.That(answers.Select(a => a.Status), Is.All.EqualTo(HttpStatusCode.OK), string.Join(", ", answers.Select(a => a.Body.ToJsonString())));
        Assert.That(site.Requests, Is.EqualTo(3), "the refused flow's page is never read");
    }

    private static async Task<(HttpStatusCode Status, JsonNode Body)> StartFlowAsync(HttpClient client, Uri clientId)
    {
        var request = new JsonObject
        {
            ["client_id"] = clientId.ToString(),
            ["handler"] = new JsonArray("homeassistant", null),
            ["redirect_uri"] = OffHost,
        };
        using var response = await client.PostAsync("/auth/login_flow", TestHub.Json(request.ToJsonString()));
        return (response.StatusCode, await TestHub.JsonAsync(response));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the client page was not asked for in time");
            await Task.Delay(10);
        }
    }
}
