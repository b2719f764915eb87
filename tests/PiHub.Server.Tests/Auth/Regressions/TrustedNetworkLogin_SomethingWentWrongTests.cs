using System.Net;
using PiHub.Server.Tests.Infrastructure;

namespace PiHub.Server.Tests.Auth.Regressions;

/// <summary>
/// Home Assistant 0.77: "if I pick trusted_networks I get an error … 'Something went wrong'", with nothing in the
/// log. Picking trusted_networks must give a working user form and then a login — directly and behind a
/// configured reverse proxy (the proxy's own address is not the trusted one).
/// </summary>
public class TrustedNetworkLogin_SomethingWentWrongTests : OnboardedHubTests
{
    protected override Dictionary<string, string?> Settings()
    {
        var settings = HubSettings.TrustedNetwork("127.0.0.2/32", ["owner"]);
        settings["http:trusted_proxies:0"] = "127.0.0.3/32";
        return settings;
    }

    private async Task AssertTrustedLoginWorksAsync(HttpClient client)
    {
        var ownerId = await TrustedNetworkFlow.OwnerIdAsync(Hub);

        var providers = await TestHub.JsonAsync(await client.GetAsync("auth/providers"));
        var (response, form) = await TrustedNetworkFlow.StartAsync(client);
        var entry = await TrustedNetworkFlow.ChooseAsync(client, form, ownerId);
        var tokens = await TrustedNetworkFlow.ExchangeAsync(client, entry["result"]!.GetValue<string>());
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", tokens["access_token"]!.GetValue<string>());
        var api = await client.GetAsync("api/");

        Assert.That(providers["providers"]!.AsArray().Select(p => p!["type"]!.GetValue<string>()), Is.EqualTo(new[] { "homeassistant", "trusted_networks" }));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), form.ToJsonString());
        Assert.That(form["type"]!.GetValue<string>(), Is.EqualTo("form"));
        Assert.That(form["step_id"]!.GetValue<string>(), Is.EqualTo("init"));
        Assert.That(TrustedNetworkFlow.Options(form), Is.EqualTo(new[] { (ownerId, "Owner") }));
        Assert.That(entry["type"]!.GetValue<string>(), Is.EqualTo("create_entry"), entry.ToJsonString());
        Assert.That(api.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task TrustedNetworkLogin_SomethingWentWrong_DirectFromNetwork_FormThenLogin()
    {
        using var client = Hub.ClientFrom("127.0.0.2");

        await AssertTrustedLoginWorksAsync(client);
    }

    [Test]
    public async Task TrustedNetworkLogin_SomethingWentWrong_BehindTrustedProxy_FormThenLogin()
    {
        using var proxy = Hub.ClientFrom("127.0.0.3", forwardedFor: "127.0.0.2");

        await AssertTrustedLoginWorksAsync(proxy);
    }

    [Test]
    public async Task TrustedNetworkLogin_SomethingWentWrong_ProxyOwnAddressOutsideNetwork_NotOffered()
    {
        using var proxy = Hub.ClientFrom("127.0.0.3", forwardedFor: "127.0.0.9");

        var providers = await TestHub.JsonAsync(await proxy.GetAsync("auth/providers"));
        var (response, body) = await TrustedNetworkFlow.StartAsync(proxy);

        Assert.That(providers["providers"]!.AsArray().Select(p => p!["type"]!.GetValue<string>()), Is.EqualTo(new[] { "homeassistant" }));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(body["message"]!.GetValue<string>(), Does.Contain("/auth/providers"));
    }
}
