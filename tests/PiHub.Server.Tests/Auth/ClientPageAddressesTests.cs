using System.Net;
using PiHub.Server.Auth.ClientPages;

namespace PiHub.Server.Tests.Auth;

/// <summary>Which addresses the hub connects to for a client page (issue 24, item 6).</summary>
public class ClientPageAddressesTests
{
    [TestCase("127.0.0.1", "loopback")]
    [TestCase("127.255.0.3", "loopback")]
    [TestCase("::1", "loopback")]
    [TestCase("::ffff:127.0.0.1", "loopback")]
    [TestCase("0.0.0.0", "unspecified")]
    [TestCase("0.1.2.3", "unspecified")]
    [TestCase("::", "unspecified")]
    [TestCase("::127.0.0.1", "unspecified")]
    [TestCase("169.254.169.254", "link-local")]
    [TestCase("fe80::1", "link-local")]
    [TestCase("224.0.0.1", "multicast")]
    [TestCase("255.255.255.255", "multicast")]
    [TestCase("ff02::1", "multicast")]
    public void Refusal_NeverReachableAddress_RefusedEvenWithLanAllowed(string address, string kind)
    {
        Assert.That(ClientPageAddresses.Refusal(IPAddress.Parse(address), allowLan: true), Does.Contain(kind));
        Assert.That(ClientPageAddresses.Refusal(IPAddress.Parse(address), allowLan: false), Does.Contain(kind));
    }

    [TestCase("10.0.0.5")]
    [TestCase("172.16.0.1")]
    [TestCase("172.31.255.255")]
    [TestCase("192.168.1.20")]
    [TestCase("100.64.0.1")]
    [TestCase("::ffff:192.168.1.20")]
    [TestCase("fd12:3456::1")]
    public void Refusal_LanAddress_RefusedUnlessAllowed(string address)
    {
        Assert.That(ClientPageAddresses.Refusal(IPAddress.Parse(address), allowLan: false), Does.Contain("auth.allow_lan_client_pages"));
        Assert.That(ClientPageAddresses.Refusal(IPAddress.Parse(address), allowLan: true), Is.Null);
    }

    [TestCase("93.184.216.34")]
    [TestCase("172.32.0.1")]
    [TestCase("100.128.0.1")]
    [TestCase("2606:4700::1111")]
    public void Refusal_PublicAddress_Allowed(string address) =>
        Assert.That(ClientPageAddresses.Refusal(IPAddress.Parse(address), allowLan: false), Is.Null);
}
