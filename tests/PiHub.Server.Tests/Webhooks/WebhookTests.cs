using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Server.Webhooks;
using PiHub.Testing;

namespace PiHub.Server.Tests.Webhooks;

/// <summary><c>/api/webhook/{id}</c> and the admin commands, through the real server.</summary>
public class WebhookTests : OnboardedHubTests
{
    private WsClient _ws = null!;

    protected override Dictionary<string, string?> Settings() => new()
    {
        ["http:trusted_proxies:0"] = "127.0.0.3/32",
        ["http:max_body_bytes"] = "4096",
    };

    protected override async Task OnHubStartedAsync()
    {
        (_ws, _) = await WsClient.AuthenticateAsync(Hub.WebSocketUri, Hub.AccessToken);
        await _ws.CallAsync("subscribe_events", new JsonObject { ["event_type"] = "webhook" });
    }

    [TearDown]
    public Task CloseSocketAsync() => _ws.DisposeAsync().AsTask();

    private async Task<string> CreateAsync(string name = "Plex", bool localOnly = false, string? secret = null)
    {
        var fields = new JsonObject { ["name"] = name, ["local_only"] = localOnly };
        if (secret is not null) fields["signing_secret"] = secret;
        var answer = await _ws.CallAsync("pihub/webhook/create", fields);
        Assert.That(answer["success"]!.GetValue<bool>(), Is.True, answer.ToJsonString());
        return answer["result"]!["webhook_id"]!.GetValue<string>();
    }

    private async Task<JsonNode> NextEventDataAsync() =>
        (await _ws.ReceiveAsync(m => m["type"]!.GetValue<string>() == "event"))["event"]!["data"]!;

    [Test]
    public async Task Create_AsAdmin_Returns64HexIdAndUrl()
    {
        var answer = await _ws.CallAsync("pihub/webhook/create", new JsonObject { ["name"] = "Plex" });
        var id = answer["result"]!["webhook_id"]!.GetValue<string>();

        Assert.That(id, Does.Match("^[0-9a-f]{64}$"));
        Assert.That(answer["result"]!["url"]!.GetValue<string>(), Is.EqualTo($"/api/webhook/{id}"));
    }

    [Test]
    public async Task Create_AsNonAdmin_Unauthorized()
    {
        await Hub.CreateUserAsync("Kid", "kid");
        var tokens = await Hub.Api.LoginAsync("kid", HubApi.OwnerPassword);
        var (kid, _) = await WsClient.AuthenticateAsync(Hub.WebSocketUri, tokens["access_token"]!.GetValue<string>());
        await using var _ = kid;

        var answer = await kid.CallAsync("pihub/webhook/create", new JsonObject { ["name"] = "Sneaky" });

        Assert.That(answer["error"]!["code"]!.GetValue<string>(), Is.EqualTo("unauthorized"));
    }

    [Test]
    public async Task List_ShowsWebhooksWithoutSecrets_DeleteRemoves()
    {
        var id = await CreateAsync("Signed", secret: "0123456789abcdef0123");

        var list = await _ws.CallAsync("pihub/webhook/list");
        var delete = await _ws.CallAsync("pihub/webhook/delete", new JsonObject { ["webhook_id"] = id });
        var after = await _ws.CallAsync("pihub/webhook/list");
        var again = await _ws.CallAsync("pihub/webhook/delete", new JsonObject { ["webhook_id"] = id });

        var entry = list["result"]!.AsArray().Single()!;
        Assert.That(entry["name"]!.GetValue<string>(), Is.EqualTo("Signed"));
        Assert.That(entry["signed"]!.GetValue<bool>(), Is.True);
        Assert.That(list.ToJsonString(), Does.Not.Contain("0123456789abcdef0123"));
        Assert.That(delete["success"]!.GetValue<bool>(), Is.True);
        Assert.That(after["result"]!.AsArray(), Is.Empty);
        Assert.That(again["error"]!["code"]!.GetValue<string>(), Is.EqualTo("not_found"));
    }

    [Test]
    public async Task Create_ShortSigningSecret_RefusedWithHowTo()
    {
        var answer = await _ws.CallAsync("pihub/webhook/create", new JsonObject { ["name"] = "x", ["signing_secret"] = "short" });

        Assert.That(answer["error"]!["code"]!.GetValue<string>(), Is.EqualTo("invalid_format"));
        Assert.That(answer["error"]!["message"]!.GetValue<string>(), Does.Contain("openssl rand"));
    }

    [Test]
    public async Task PostJson_FiresWebhookEventWithDataAndQuery()
    {
        var id = await CreateAsync("Doorbell");

        var response = await Hub.Http.PostAsync($"api/webhook/{id}?room=hall&x=1&x=2", TestHub.Json("""{"pressed":true}"""));
        var data = await NextEventDataAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(data["webhook_id"]!.GetValue<string>(), Is.EqualTo(id));
        Assert.That(data["name"]!.GetValue<string>(), Is.EqualTo("Doorbell"));
        Assert.That(data["data"]!["pressed"]!.GetValue<bool>(), Is.True);
        Assert.That(data["query"]!["room"]!.GetValue<string>(), Is.EqualTo("hall"));
        Assert.That(data["query"]!["x"]!.AsArray().Select(v => v!.GetValue<string>()), Is.EqualTo(new[] { "1", "2" }));
    }

    [Test]
    public async Task PutForm_FiresEventWithFields()
    {
        var id = await CreateAsync("Tasker");

        var response = await Hub.Http.PutAsync($"api/webhook/{id}", HubApi.Form(("battery", "42"), ("where", "home sweet home")));
        var data = await NextEventDataAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(data["data"]!["battery"]!.GetValue<string>(), Is.EqualTo("42"));
        Assert.That(data["data"]!["where"]!.GetValue<string>(), Is.EqualTo("home sweet home"));
    }

    [Test]
    public async Task PlexWebhook_Multipart_PayloadParsedAndThumbDescribed()
    {
        var id = await CreateAsync("Plex");
        using var content = new MultipartFormDataContent("----PlexBoundary");
        content.Add(new StringContent("""{"event":"media.play","Player":{"title":"Living Room"},"Metadata":{"title":"Heat"}}""", Encoding.UTF8), "payload");
        var thumb = new ByteArrayContent(new byte[300]);
        thumb.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        content.Add(thumb, "thumb", "thumb.jpg");

        var response = await Hub.Http.PostAsync($"api/webhook/{id}", content);
        var data = (await NextEventDataAsync())["data"]!;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(data["payload"]!["event"]!.GetValue<string>(), Is.EqualTo("media.play"));
        Assert.That(data["payload"]!["Player"]!["title"]!.GetValue<string>(), Is.EqualTo("Living Room"));
        Assert.That(data["thumb"]!["filename"]!.GetValue<string>(), Is.EqualTo("thumb.jpg"));
        Assert.That(data["thumb"]!["content_type"]!.GetValue<string>(), Is.EqualTo("image/jpeg"));
        Assert.That(data["thumb"]!["size"]!.GetValue<int>(), Is.EqualTo(300));
    }

    [Test]
    public async Task PostBadJson_400WithMessage()
    {
        var id = await CreateAsync();

        var response = await Hub.Http.PostAsync($"api/webhook/{id}", TestHub.Json("{not json"));
        var body = await TestHub.JsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body["message"]!.GetValue<string>(), Does.Contain("Invalid JSON"));
    }

    [Test]
    public async Task BodyOverMaxBodyBytes_413NamingTheSetting()
    {
        var id = await CreateAsync();

        var response = await Hub.Http.PostAsync($"api/webhook/{id}", new StringContent(new string('x', 5000)));
        var body = await TestHub.JsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(body["message"]!.GetValue<string>(), Does.Contain("http.max_body_bytes"));
    }

    [Test]
    public async Task UnknownId_Answers200WithoutEvent_ThenRateLimitedPerAddress()
    {
        var known = await CreateAsync();
        using var guesser = Hub.ClientFrom("127.0.0.2");
        using var neighbour = Hub.ClientFrom("127.0.0.4");
        var answers = new List<HttpStatusCode>();

        for (var i = 0; i < UnknownWebhookLimiter.PermitsPerWindow; i++)
        {
            answers.Add((await guesser.PostAsync($"api/webhook/{new string('0', 63)}{i % 10}", TestHub.Json("{}"))).StatusCode);
        }

        var limited = await guesser.PostAsync($"api/webhook/{new string('1', 64)}", TestHub.Json("{}"));
        var knownStillWorks = await guesser.PostAsync($"api/webhook/{known}", TestHub.Json("""{"n":1}"""));
        var neighbourUnaffected = await neighbour.PostAsync($"api/webhook/{new string('2', 64)}", TestHub.Json("{}"));
        var data = await NextEventDataAsync();

        Assert.That(answers, Is.All.EqualTo(HttpStatusCode.OK));
        Assert.That(limited.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(limited.Headers.RetryAfter, Is.Not.Null);
        Assert.That(knownStillWorks.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(neighbourUnaffected.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(data["webhook_id"]!.GetValue<string>(), Is.EqualTo(known), "the first event is the known id's: unknown ids fired nothing");
    }

    [Test]
    public async Task LocalOnly_FromPublicAddressThroughProxy_403_FromLanServed()
    {
        var id = await CreateAsync("Garage", localOnly: true);
        using var publicClient = Hub.ClientFrom("127.0.0.3", forwardedFor: "203.0.113.7");

        var refused = await publicClient.PostAsync($"api/webhook/{id}", TestHub.Json("{}"));
        var body = await TestHub.JsonAsync(refused);
        var local = await Hub.Http.PostAsync($"api/webhook/{id}", TestHub.Json("{}"));

        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(body["message"]!.GetValue<string>(), Does.Contain("local network").And.Contain("203.0.113.7"));
        Assert.That(local.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Signed_RightSignatureServed_WrongOrMissing401()
    {
        const string secret = "a-long-enough-signing-secret";
        var id = await CreateAsync("Signed", secret: secret);
        const string json = """{"ok":true}""";
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        async Task<HttpResponseMessage> PostAsync(string? signature, long? timestamp)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"api/webhook/{id}") { Content = TestHub.Json(json) };
            if (signature is not null) request.Headers.Add(WebhookSignature.Header, signature);
            if (timestamp is { } ts) request.Headers.Add(WebhookSignature.TimestampHeader, ts.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return await Hub.Http.SendAsync(request);
        }

        var right = await PostAsync(WebhookSignature.Sign(secret, now, "POST", $"/api/webhook/{id}", Encoding.UTF8.GetBytes(json)), now);
        var wrong = await PostAsync(WebhookSignature.Sign("another-secret-entirely", now, "POST", $"/api/webhook/{id}", Encoding.UTF8.GetBytes(json)), now);
        var missing = await PostAsync(null, null);
        var garbage = await PostAsync("sha256=zz", now);
        var message = (await TestHub.JsonAsync(wrong))["message"]!.GetValue<string>();

        Assert.That(right.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(garbage.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(message, Does.Contain(WebhookSignature.Header).And.Contain("HMAC-SHA256"));
    }

    [Test]
    public async Task DeletedWebhook_Answers200WithoutEvent()
    {
        var id = await CreateAsync("Old");
        var other = await CreateAsync("Other");
        await _ws.CallAsync("pihub/webhook/delete", new JsonObject { ["webhook_id"] = id });

        var response = await Hub.Http.PostAsync($"api/webhook/{id}", TestHub.Json("{}"));
        await Hub.Http.PostAsync($"api/webhook/{other}", TestHub.Json("{}"));
        var first = await NextEventDataAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(first["webhook_id"]!.GetValue<string>(), Is.EqualTo(other), "the deleted webhook fired nothing");
    }
}
