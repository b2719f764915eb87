using System.Net;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Server.Tests.Security;
using PiHub.Testing;

namespace PiHub.Server.Tests.Regressions;

/// <summary>
/// Issue 9, item 1: 1,100 <c>POST /auth/login_flow</c> from one address filled the hub-wide table of open flows
/// (1,000, shared, never counted towards a ban); for 10 minutes the owner, even on 127.0.0.1, got
/// <c>400 "Too many login flows are open"</c>. Now each address (each /64 for IPv6) has a bound of its own, its
/// oldest flows go first, and starting flows beyond it counts like a failed login.
/// </summary>
public class LoginFlowTableExhaustionTests
{
    private TestHub _hub = null!;

    [TearDown]
    public async Task StopAsync()
    {
        if (_hub is not null) await _hub.DisposeAsync();
    }

    [Test]
    public async Task LoginFlowFlood_FromOneAddress_OwnerElsewhereAndOnLoopbackStillLogsIn_AttackerBanned()
    {
        _hub = await TestHub.StartAsync();
        await _hub.OnboardAsync();

        var attack = await Attacks.FloodLoginFlowsAsync(_hub, "127.0.0.2", 1_100);
        using var owner = _hub.ClientFrom("127.0.0.3");
        var fromLan = await Attacks.LogInAsync(owner);
        var fromLoopback = await Attacks.LogInAsync(_hub.Http);
        using var attacker = _hub.ClientFrom("127.0.0.2");
        var afterwards = await attacker.GetAsync("auth/providers");

        Assert.That(fromLan["access_token"], Is.Not.Null);
        Assert.That(fromLoopback["access_token"], Is.Not.Null);
        Assert.That(attack, Does.Contain(HttpStatusCode.Forbidden), "starting flows beyond the address's bound counts towards a ban");
        Assert.That(afterwards.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task LoginFlowFlood_FromLoopback_OldestFlowEvictedNewestStillWorks()
    {
        _hub = await TestHub.StartAsync();
        await _hub.OnboardAsync();
        var oldest = await _hub.Api.PostJsonAsync("auth/login_flow", System.Text.Json.Nodes.JsonNode.Parse(Attacks.FlowStartBody)!);

        var attack = await Attacks.FloodLoginFlowsAsync(_hub, "127.0.0.1", 1_100);
        var newest = await _hub.Api.PostJsonAsync("auth/login_flow", System.Text.Json.Nodes.JsonNode.Parse(Attacks.FlowStartBody)!);
        var oldStep = await _hub.Http.PostAsync($"auth/login_flow/{oldest["flow_id"]}",
            HubApi.Json($$"""{"client_id":"{{HubApi.ClientId}}","username":"owner","password":"{{HubApi.OwnerPassword}}"}"""));
        var newStep = await HubApi.JsonAsync(await _hub.Http.PostAsync($"auth/login_flow/{newest["flow_id"]}",
            HubApi.Json($$"""{"client_id":"{{HubApi.ClientId}}","username":"owner","password":"{{HubApi.OwnerPassword}}"}""")));

        Assert.That(attack, Is.All.EqualTo(HttpStatusCode.OK), "loopback is never banned, and its own oldest flows make room");
        Assert.That(oldStep.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(newStep["type"]!.GetValue<string>(), Is.EqualTo("create_entry"));
    }

    [Test]
    public async Task LoginFlowFlood_FromOneIpv6Network_EvictsThatNetworksOldestNotAnothers()
    {
        // IPv6 clients come through a trusted reverse proxy here: Kestrel listens on 127.0.0.1 only.
        _hub = await TestHub.StartAsync(new Dictionary<string, string?> { ["http:trusted_proxies:0"] = "127.0.0.9/32" });
        await _hub.OnboardAsync();
        using var proxy = _hub.ClientFrom("127.0.0.9");
        var first = await StartFlowAsync(proxy, "2001:db8:0:1::1");
        var neighbour = await StartFlowAsync(proxy, "2001:db8:0:2::1");

        // Twenty flows from twenty addresses of one /64: four past the network's bound of 16, each evicting its oldest
        // and counting as a failure against the /64 (failures and bans are per /64 too), one short of a ban.
        for (var i = 2; i <= 20; i++) await StartFlowAsync(proxy, $"2001:db8:0:1::{i:x}");
        var firstStep = await StepAsync(proxy, "2001:db8:0:1::1", first);
        var neighbourStep = await StepAsync(proxy, "2001:db8:0:2::1", neighbour);

        Assert.That(firstStep.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "the /64's oldest flow made room for its newer ones");
        Assert.That(neighbourStep.StatusCode, Is.EqualTo(HttpStatusCode.OK), "another /64's flow is untouched");
        Assert.That((await HubApi.JsonAsync(neighbourStep))["type"]!.GetValue<string>(), Is.EqualTo("create_entry"));
    }

    private static async Task<string> StartFlowAsync(HttpClient proxy, string client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "auth/login_flow") { Content = HubApi.Json(Attacks.FlowStartBody) };
        request.Headers.Add("X-Forwarded-For", client);
        using var response = await proxy.SendAsync(request);
        var body = await HubApi.JsonAsync(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body.ToJsonString());
        return body["flow_id"]!.GetValue<string>();
    }

    private static async Task<HttpResponseMessage> StepAsync(HttpClient proxy, string client, string flowId)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"auth/login_flow/{flowId}")
        {
            Content = HubApi.Json($$"""{"client_id":"{{HubApi.ClientId}}","username":"owner","password":"{{HubApi.OwnerPassword}}"}"""),
        };
        request.Headers.Add("X-Forwarded-For", client);
        return await proxy.SendAsync(request);
    }
}
