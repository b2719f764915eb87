using System.Net;
using System.Text.Json.Nodes;
using PiHub.Core.Auth;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Testing;

namespace PiHub.Server.Tests.Api;

/// <summary>A flood of password attempts cannot take every core: beyond one hash per address and a short queue, 429.</summary>
public class PasswordRateLimitTests
{
    [Test]
    public async Task FloodOfPasswordSteps_ExcessGets429WithRetryAfter_NothingFails()
    {
        // Production's password cost: the limiter only has something to limit when each check is slow.
        await using var hub = await TestHub.StartOnboardedAsync(passwordIterations: PasswordHasher.DefaultIterations);
        var attempts = PiHub.Server.Auth.PasswordCheckLimiter.QueuePerClient + 8; // within one address's open-flow bound
        var flows = new List<string>();
        for (var i = 0; i < attempts; i++)
        {
            var flow = await hub.Api.PostJsonAsync("auth/login_flow", new JsonObject { ["client_id"] = HubApi.ClientId, ["handler"] = new JsonArray("homeassistant", null), ["redirect_uri"] = HubApi.ClientId });
            flows.Add(flow["flow_id"]!.GetValue<string>());
        }

        // Each check is a 600,000-round PBKDF2 (well over 100 ms): all of these are in flight at once.
        var responses = await Task.WhenAll(flows.Select(id => hub.Http.PostAsync($"auth/login_flow/{id}",
            HubApi.Json($$"""{"client_id":"{{HubApi.ClientId}}","username":"owner","password":"wrong password!"}"""))));

        var throttled = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.That(throttled, Is.Not.Empty);
        Assert.That(throttled.All(r => r.Headers.RetryAfter is not null), Is.True);
        Assert.That((await HubApi.JsonAsync(throttled[0]))["message"]!.GetValue<string>(), Does.Contain("try again"));
        Assert.That(responses.Where(r => r.StatusCode != HttpStatusCode.TooManyRequests).Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.OK));
    }
}
