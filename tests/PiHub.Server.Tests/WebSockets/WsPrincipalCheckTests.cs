using System.Net;
using PiHub.Core.Auth.Model;
using PiHub.Core.Auth.Storage;
using PiHub.Server.Auth;
using PiHub.Server.WebSockets;

namespace PiHub.Server.Tests.WebSockets;

/// <summary>The check every WebSocket command runs first: the connection's user as they are in the auth data now.</summary>
public class WsPrincipalCheckTests
{
    private static readonly User s_eve = new() { Id = "eve", Name = "Eve", GroupIds = [Groups.Admin] };
    private static readonly IPAddress s_lan = IPAddress.Parse("192.168.1.20");
    private static readonly IPAddress s_internet = IPAddress.Parse("203.0.113.7");

    private static AuthData With(params AuthRecord[] records) => AuthData.FromRecords(1, records);

    private static RefreshToken Token(string id) => new() { Id = id, UserId = "eve", TokenHash = "h", JwtKey = "k" };

    [Test]
    public void Current_UserMovedToUsers_PrincipalLosesAdmin()
    {
        var principal = new ApiPrincipal(s_eve, "t1");

        var current = WsPrincipalCheck.Current(principal, With(s_eve with { GroupIds = [Groups.Users] }, Token("t1")), s_lan, out _);

        Assert.That(current, Is.Not.Null);
        Assert.That(current!.IsAdmin, Is.False);
    }

    [Test]
    public void Current_UserDeactivated_NullSayingSo()
    {
        var current = WsPrincipalCheck.Current(new ApiPrincipal(s_eve, null, ApiPrincipal.TrustedNetworkMethod), With(s_eve with { IsActive = false }), s_lan, out var reason);

        Assert.That(current, Is.Null);
        Assert.That(reason, Does.Contain("User deactivated"));
    }

    [Test]
    public void Current_UserRemoved_NullSayingSo()
    {
        var current = WsPrincipalCheck.Current(new ApiPrincipal(s_eve, "t1"), With(), s_lan, out var reason);

        Assert.That(current, Is.Null);
        Assert.That(reason, Does.Contain("User removed"));
    }

    [Test]
    public void Current_MadeLocalOnly_NullFromTheInternetAndKeptOnTheLan()
    {
        var data = With(s_eve with { LocalOnly = true }, Token("t1"));

        var fromInternet = WsPrincipalCheck.Current(new ApiPrincipal(s_eve, "t1"), data, s_internet, out var reason);
        var fromLan = WsPrincipalCheck.Current(new ApiPrincipal(s_eve, "t1"), data, s_lan, out _);

        Assert.That(fromInternet, Is.Null);
        Assert.That(reason, Does.Contain("local-only"));
        Assert.That(fromLan, Is.Not.Null);
    }

    [Test]
    public void Current_RefreshTokenGone_NullSayingLogInAgain()
    {
        var current = WsPrincipalCheck.Current(new ApiPrincipal(s_eve, "t1"), With(s_eve), s_lan, out var reason);

        Assert.That(current, Is.Null);
        Assert.That(reason, Does.Contain("revoked"));
    }
}
