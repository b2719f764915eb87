using System.Net;
using PiHub.Core.Auth;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Server.Tests.Security;
using PiHub.Testing;

namespace PiHub.Server.Tests.Regressions;

/// <summary>
/// Issue 24, item 4: routing ignores the path's case, but the auth gate compared paths ordinally, so
/// <c>POST /Auth/login_flow/&lt;id&gt;</c> reached the login step past the password limiter and the body gate: ten
/// correct-password logins at once from one address gave 10 × 200 (5 × 429 on the lower-case path), and a trickled body
/// held the endpoint for as long as it trickled. Now every gated route is recognised in any case.
/// </summary>
public class MixedCaseAuthPathsTests
{
    /// <summary>Every route the gate reads the body of first, each in a case routing still matches.</summary>
    private static readonly string[] s_gatedRoutesInMixedCase =
    [
        "Auth/Token",
        "AUTH/revoke",
        "auth/Login_Flow",
        "Auth/login_flow/some-flow",
        "api/Onboarding/USERS",
    ];

    [Test]
    public async Task SlowBody_EveryGatedRouteInMixedCase_CutOffAfterFiveSeconds()
    {
        await using var hub = await TestHub.StartOnboardedAsync();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(40));

        var answers = await Task.WhenAll(s_gatedRoutesInMixedCase.Select(path => Attacks.SlowBodyAsync(hub, "127.0.0.2", path, 8_000, stop.Token)));

        for (var i = 0; i < answers.Length; i++)
        {
            Assert.That(answers[i], Does.StartWith("HTTP/1.1 408").And.Contain("5 seconds"), $"POST /{s_gatedRoutesInMixedCase[i]}");
        }
    }

    [Test]
    public async Task TenLoginsAtOnceOnACapitalisedPath_PasswordLimiterStillApplies()
    {
        // Production cost: the limiter only has something to limit when each check is slow.
        await using var hub = await TestHub.StartOnboardedAsync(passwordIterations: PasswordHasher.DefaultIterations);
        using var client = hub.ClientFrom("127.0.0.2");
        var flows = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            var flow = await HubApi.JsonAsync(await client.PostAsync("Auth/Login_Flow", HubApi.Json(Attacks.FlowStartBody)));
            flows.Add(flow["flow_id"]!.GetValue<string>());
        }

        var statuses = await Task.WhenAll(flows.Select(async id =>
        {
            using var response = await client.PostAsync($"Auth/Login_Flow/{id}",
                HubApi.Json($$"""{"client_id":"{{HubApi.ClientId}}","username":"owner","password":"{{HubApi.OwnerPassword}}"}"""));
            return response.StatusCode;
        }));

        Assert.That(statuses, Has.Some.EqualTo(HttpStatusCode.TooManyRequests), string.Join(", ", statuses));
        Assert.That(statuses, Has.Some.EqualTo(HttpStatusCode.OK));
    }
}
