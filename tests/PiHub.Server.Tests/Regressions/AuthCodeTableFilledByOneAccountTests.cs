using System.Net;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Server.Tests.Security;
using PiHub.Testing;

namespace PiHub.Server.Tests.Regressions;

/// <summary>
/// Issue 24, item 5: the hub keeps at most 1,000 auth codes waiting to be exchanged, and one account filled them: from a
/// trusted network with bypass login, one user took 983 codes in half a second, and the owner's password login from
/// another address then got <c>400 Too many unexchanged auth codes are pending on this hub</c> for ten minutes. Now
/// codes are budgeted per address and per user, a client over its budget loses its own oldest code, and a full table
/// loses the oldest code of the address holding the most, so the owner from another address always gets one.
/// </summary>
public class AuthCodeTableFilledByOneAccountTests
{
    private const string Mallory = "127.0.0.2";
    private const string OwnersLaptop = "127.0.0.50";

    [Test]
    public async Task OneAddressTakesThousandCodes_OwnerFromAnotherAddressStillLogsIn_HoarderKeepsOnlyItsNewest()
    {
        await using var hub = await StartAsync("127.0.0.2/32");

        var hoard = await Attacks.HoardAuthCodesAsync(hub, Mallory, 1_100, parallel: 1);
        using var laptop = hub.ClientFrom(OwnersLaptop);
        var owner = await Attacks.LogInAsync(laptop);
        using var mallory = hub.ClientFrom(Mallory);
        using var oldest = await Exchange(mallory, hoard[0]);
        using var newest = await Exchange(mallory, hoard[^1]);

        Assert.That(hoard, Has.Count.EqualTo(1_100), "bypass logins are not refused, only their old codes dropped");
        Assert.That(owner["access_token"], Is.Not.Null);
        Assert.That(oldest.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "the hoarder's oldest code made room for its newer ones");
        Assert.That(newest.StatusCode, Is.EqualTo(HttpStatusCode.OK), await newest.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task OneAccountFromFourAddresses_OwnerFromAnotherAddressStillLogsIn()
    {
        await using var hub = await StartAsync("127.0.0.0/29");

        var hoards = await Task.WhenAll(Enumerable.Range(2, 4).Select(i => Attacks.HoardAuthCodesAsync(hub, $"127.0.0.{i}", 300)));
        using var laptop = hub.ClientFrom(OwnersLaptop);
        var owner = await Attacks.LogInAsync(laptop);
        var loopback = await Attacks.LogInAsync(hub.Http);

        Assert.That(hoards.Sum(h => h.Count), Is.EqualTo(1_200));
        Assert.That(owner["access_token"], Is.Not.Null);
        Assert.That(loopback["access_token"], Is.Not.Null);
    }

    /// <summary>A hub whose trusted network <paramref name="cidr"/> logs anyone in as "mallory" without a password.</summary>
    private static async Task<TestHub> StartAsync(string cidr)
    {
        var hub = await TestHub.StartAsync(HubSettings.TrustedNetwork(cidr, ["mallory"], bypass: true));
        (await hub.OnboardAsync()).Dispose();
        await hub.CreateUserAsync("Mallory", "mallory");
        return hub;
    }

    private static Task<HttpResponseMessage> Exchange(HttpClient client, string code) =>
        client.PostAsync("auth/token", HubApi.Form(("grant_type", "authorization_code"), ("code", code), ("client_id", HubApi.ClientId)));
}
