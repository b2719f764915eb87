using PiHub.Core.Auth.Validation;

namespace PiHub.Core.Tests.Auth.Validation;

/// <summary>Home Assistant's client id rules (its own test cases in tests/components/auth/test_indieauth.py), kept exactly.</summary>
public class ClientIdRulesTests
{
    [TestCase("http://ex.com/")]
    [TestCase("https://ex.com/")]
    [TestCase("HTTP://EX.COM")]
    [TestCase("http://ex.com")]
    [TestCase("http://ex.com/hello")]
    [TestCase("http://ex.com/hello/.world")]
    [TestCase("http://ex.com/hello./.world")]
    [TestCase("http://www.home-assistant.io/")]
    [TestCase("http://[::1]")]
    [TestCase("http://127.0.0.1")]
    [TestCase("http://10.0.0.0")]
    [TestCase("http://10.255.255.255")]
    [TestCase("http://172.16.0.0")]
    [TestCase("http://172.31.255.255")]
    [TestCase("http://192.168.0.0")]
    [TestCase("http://192.168.255.255")]
    [TestCase("http://[fd00::1]/")]
    [TestCase("http://169.254.1.1/")]
    [TestCase("http://pihub.local:8123/")]
    [TestCase("http://11.0.0.0:8000/")] // Home Assistant reads "address:port" as a name, not an address
    public void IsValidClientId_HomeAssistantAccepts_True(string clientId) =>
        Assert.That(ClientIdRules.IsValidClientId(clientId), Is.True);

    [TestCase("ftp://ex.com")]
    [TestCase("homeassistant://auth-callback")]
    [TestCase("http://ex.com/.")]
    [TestCase("http://ex.com/hello/./yo")]
    [TestCase("http://ex.com/hello/../yo")]
    [TestCase("http://ex.com/#yoo")]
    [TestCase("http://user@ex.com/")]
    [TestCase("http://user:pass@ex.com/")]
    [TestCase("http://ex.com:port/")]
    [TestCase("http://ex.com:70000/")]
    [TestCase("http://11.0.0.0/")]
    [TestCase("http://172.32.0.0/")]
    [TestCase("http://192.167.0.0/")]
    [TestCase("http://[2001:db8::1]/")]
    [TestCase("http:///path")]
    [TestCase("ex.com")]
    [TestCase("")]
    public void IsValidClientId_HomeAssistantRefuses_False(string clientId) =>
        Assert.That(ClientIdRules.IsValidClientId(clientId), Is.False);

    [TestCase("http://ex.com", "http://ex.com/callback", true)]
    [TestCase("http://ex.com", "http://different.com/callback", false)]
    [TestCase("http://ex.com", "https://ex.com/callback", false)]
    [TestCase("https://sub1.ex.com", "https://sub2.ex.com/callback", false)]
    [TestCase("https://home-assistant.io/iOS", "homeassistant://auth-callback", true)]
    [TestCase("https://home-assistant.io/iOS", "homeassistant://something-else", false)]
    [TestCase("https://incorrect.com", "homeassistant://auth-callback", false)]
    [TestCase("https://home-assistant.io/android", "https://wear.googleapis.com/3p_auth/io.homeassistant.companion.android", true)]
    [TestCase("https://home-assistant.io/iOS", "https://wear.googleapis.com/3p_auth/io.homeassistant.companion.android", false)]
    public void IsValidRedirectUri_WithoutReadingThePage_AsHomeAssistant(string clientId, string redirectUri, bool expected) =>
        Assert.That(ClientIdRules.IsValidRedirectUri(clientId, redirectUri), Is.EqualTo(expected));
}
