using System.Net;
using PiHub.Configuration;

namespace PiHub.Server.Tests.Configuration;

/// <summary><c>auth.trusted_networks</c>: the shape, the defaults and every refusal naming key, value and fix.</summary>
public class TrustedNetworksConfigTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("pihub-config-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private PiHubOptions Load(string yaml)
    {
        var path = Path.Combine(_dir, "pihub.yaml");
        File.WriteAllText(path, yaml);
        return ConfigLoader.Load(["--config", path], defaultPath: "/nonexistent/pihub.yaml").Options;
    }

    private string Refusal(string yaml) => Assert.Throws<ConfigException>(() => Load(yaml))!.Message;

    [Test]
    public void Load_TrustedNetworks_ReadsEveryField()
    {
        var options = Load("""
            auth:
              trusted_networks:
                - cidr: 192.168.1.0/24
                  users: [Alice, bob]
                  allow_bypass_login: true
                  skip_mfa: true
                - cidr: 10.8.0.7
                  users: [tasker]
                  allow_api_without_token: true
                - cidr: fd00::/8
                  users: all
            """);

        var networks = options.TrustedNetworks;
        Assert.That(networks, Has.Count.EqualTo(3));
        Assert.That(networks[0].Cidr, Is.EqualTo(IPNetwork.Parse("192.168.1.0/24")));
        Assert.That(networks[0].Users, Is.EqualTo(new[] { "alice", "bob" }));
        Assert.That(networks[0].AllowBypassLogin && networks[0].SkipMfa && !networks[0].AllowApiWithoutToken, Is.True);
        Assert.That(networks[1].Cidr, Is.EqualTo(IPNetwork.Parse("10.8.0.7/32")));
        Assert.That(networks[1].AllowApiWithoutToken, Is.True);
        Assert.That(networks[2].Users, Is.Null, "users: all");
        Assert.That(networks[2].AllowBypassLogin || networks[2].SkipMfa || networks[2].AllowApiWithoutToken, Is.False, "every option is off by default");
    }

    [Test]
    public void Load_NoAuthSection_NoTrustedNetworks()
    {
        Assert.That(Load("hub:\n  name: Home\n").TrustedNetworks, Is.Empty);
    }

    [Test]
    public void Load_ApiWithoutTokenForAllUsers_RefusedWithFix()
    {
        var message = Refusal("auth:\n  trusted_networks:\n    - cidr: 192.168.1.0/24\n      users: all\n      allow_api_without_token: true\n");

        Assert.That(message, Does.Contain("auth.trusted_networks.0.allow_api_without_token").And.Contain("exactly one"));
    }

    [Test]
    public void Load_ApiWithoutTokenForTwoUsers_Refused()
    {
        var message = Refusal("auth:\n  trusted_networks:\n    - cidr: 192.168.1.0/24\n      users: [a, b]\n      allow_api_without_token: true\n");

        Assert.That(message, Does.Contain("[a, b]").And.Contain("exactly one"));
    }

    [Test]
    public void Load_BadCidr_NamesKeyAndValue()
    {
        var message = Refusal("auth:\n  trusted_networks:\n    - cidr: 192.168.1.7/24\n      users: [a]\n");

        Assert.That(message, Does.Contain("auth.trusted_networks.0.cidr").And.Contain("192.168.1.7/24").And.Contain("host bits"));
    }

    [Test]
    public void Load_MissingUsers_SaysListOrAll()
    {
        var message = Refusal("auth:\n  trusted_networks:\n    - cidr: 192.168.1.0/24\n");

        Assert.That(message, Does.Contain("auth.trusted_networks.0.users").And.Contain("users: all"));
    }

    [Test]
    public void Load_UnknownNetworkKey_ListsAccepted()
    {
        var message = Refusal("auth:\n  trusted_networks:\n    - cidr: 192.168.1.0/24\n      users: [a]\n      allow_everything: true\n");

        Assert.That(message, Does.Contain("auth.trusted_networks.0.allow_everything").And.Contain("allow_api_without_token"));
    }

    [Test]
    public void Load_UnknownAuthKey_Refused()
    {
        var message = Refusal("auth:\n  providers: [x]\n");

        Assert.That(message, Does.Contain("auth.providers").And.Contain("trusted_networks"));
    }

    [Test]
    public void Load_ScalarTrustedNetworks_SaysUseAList()
    {
        var message = Refusal("auth:\n  trusted_networks: 192.168.1.0/24\n");

        Assert.That(message, Does.Contain("auth.trusted_networks").And.Contain("cidr:"));
    }

    [Test]
    public void Load_SameNetworkTwice_Refused()
    {
        var message = Refusal("auth:\n  trusted_networks:\n    - cidr: 10.0.0.0/8\n      users: [a]\n    - cidr: 10.0.0.0/8\n      users: [b]\n");

        Assert.That(message, Does.Contain("10.0.0.0/8").And.Contain("twice"));
    }

    [Test]
    public void Load_AllowLanClientPages_OffByDefault_TrueWhenSet()
    {
        Assert.That(Load("hub:\n  name: Home\n").AllowLanClientPages, Is.False);
        Assert.That(Load("auth:\n  allow_lan_client_pages: true\n").AllowLanClientPages, Is.True);
    }

    [Test]
    public void Load_AllowLanClientPagesNotABoolean_RefusedNamingKeyValueAndAccepted()
    {
        var message = Refusal("auth:\n  allow_lan_client_pages: sometimes\n");

        Assert.That(message, Does.Contain("auth.allow_lan_client_pages").And.Contain("\"sometimes\"").And.Contain("true or false"));
    }
}
