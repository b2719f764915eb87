using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Server.Webhooks;
using PiHub.Testing;

namespace PiHub.Server.Tests.Regressions;

/// <summary>
/// Issue 9, item 10: the signature covered only the body, so a captured signed request could be replayed forever,
/// and its query changed (<c>?action=unlock</c>). The signed string is now
/// <c>{timestamp}.{METHOD}.{path?query}.{body}</c>; stale timestamps and replays within the window are refused.
/// </summary>
public class SignedWebhookReplayTests : OnboardedHubTests
{
    private const string Secret = "porch-door-signing-secret";
    private const string Body = """{"door":"open"}""";

    private string _path = null!;

    protected override async Task OnHubStartedAsync()
    {
        var (ws, _) = await WsClient.AuthenticateAsync(Hub.WebSocketUri, Hub.AccessToken);
        await using var _ = ws;
        var created = await ws.CallAsync("pihub/webhook/create", new JsonObject { ["name"] = "Door", ["signing_secret"] = Secret });
        _path = created["result"]!["url"]!.GetValue<string>();
    }

    [Test]
    public async Task CapturedRequestSentAgain_401Replay()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var target = _path + "?action=open";

        using var first = await SendAsync(target, now, WebhookSignature.Sign(Secret, now, "POST", target, Encoding.UTF8.GetBytes(Body)));
        using var replay = await SendAsync(target, now, WebhookSignature.Sign(Secret, now, "POST", target, Encoding.UTF8.GetBytes(Body)));
        var message = (await TestHub.JsonAsync(replay))["message"]!.GetValue<string>();

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(replay.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(message, Does.Contain("replay"));
    }

    [Test]
    public async Task CapturedRequestWithChangedQuery_401()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var signature = WebhookSignature.Sign(Secret, now, "POST", _path + "?action=open", Encoding.UTF8.GetBytes(Body));

        using var changed = await SendAsync(_path + "?action=unlock", now, signature);

        Assert.That(changed.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task SignedSixMinutesAgo_401NamingTheClock()
    {
        var then = DateTimeOffset.UtcNow.AddMinutes(-6).ToUnixTimeSeconds();

        using var stale = await SendAsync(_path, then, WebhookSignature.Sign(Secret, then, "POST", _path, Encoding.UTF8.GetBytes(Body)));
        var message = (await TestHub.JsonAsync(stale))["message"]!.GetValue<string>();

        Assert.That(stale.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(message, Does.Contain(WebhookSignature.TimestampHeader).And.Contain("clock"));
    }

    [Test]
    public async Task OldBodyOnlySignature_401()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var bodyOnly = "sha256=" + Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(Body)));

        using var response = await SendAsync(_path, now, bodyOnly);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    private Task<HttpResponseMessage> SendAsync(string target, long timestamp, string signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, target.TrimStart('/')) { Content = TestHub.Json(Body) };
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.Header, signature);
        return Hub.Http.SendAsync(request);
    }
}
