using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using OtpNet;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Testing;

namespace PiHub.Server.Tests.Auth;

/// <summary>
/// The user thread: "on my private network I should not have to log in with multifactor".
/// A trusted network logs the owner in without the TOTP step only when it says <c>skip_mfa</c>.
/// </summary>
public class TrustedNetworkMfaTests
{
    private static async Task<TestHub> StartWithEnrolledOwnerAsync(bool skipMfa, FakeTimeProvider time)
    {
        var hub = await TestHub.StartOnboardedAsync(HubSettings.TrustedNetwork("127.0.0.2/32", ["owner"], skipMfa: skipMfa), time);
        var (ws, _) = await WsClient.AuthenticateAsync(hub.WebSocketUri, hub.AccessToken);
        await using (ws)
        {
            var form = (await ws.CallAsync("auth/setup_mfa", new JsonObject { ["mfa_module_id"] = "totp" }))["result"]!;
            var secret = form["description_placeholders"]!["code"]!.GetValue<string>();
            var code = new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(time.GetUtcNow().UtcDateTime);
            var done = await ws.CallAsync("auth/setup_mfa", new JsonObject { ["flow_id"] = form["flow_id"]!.GetValue<string>(), ["user_input"] = new JsonObject { ["code"] = code } });
            Assert.That(done["result"]!["type"]!.GetValue<string>(), Is.EqualTo("create_entry"));
        }

        return hub;
    }

    [TestCase(true, "create_entry")]
    [TestCase(false, "form")]
    public async Task TrustedNetworkLogin_OwnerWithTotp_SkipsMfaOnlyWhenConfigured(bool skipMfa, string expectedType)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var hub = await StartWithEnrolledOwnerAsync(skipMfa, time);
        using var phone = hub.ClientFrom("127.0.0.2");
        var ownerId = await TrustedNetworkFlow.OwnerIdAsync(hub);

        var (_, flow) = await TrustedNetworkFlow.StartAsync(phone);
        var step = flow["type"]!.GetValue<string>() == "create_entry" ? flow : await TrustedNetworkFlow.ChooseAsync(phone, flow, ownerId);

        Assert.That(step["type"]!.GetValue<string>(), Is.EqualTo(expectedType), step.ToJsonString());
        if (expectedType == "form") Assert.That(step["step_id"]!.GetValue<string>(), Is.EqualTo("mfa"));
    }
}
