using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using PiHub.Configuration.Auth;
using PiHub.Core.Auth;
using PiHub.Core.Auth.Model;
using PiHub.Core.Auth.Providers;
using PiHub.Server.Auth;
using PiHub.Testing.Auth;

namespace PiHub.Server.Tests.Auth;

public class JwtAccessTokenCodecTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private readonly JwtAccessTokenCodec _codec = new();

    [Test]
    public void Create_Token_IsHs256WithOnlyIssIatExp()
    {
        var token = Token();

        var jwt = _codec.Create(token, s_now, s_now.AddMinutes(30));

        var header = Part(jwt, 0);
        var payload = Part(jwt, 1);
        Assert.That(header["alg"]!.GetValue<string>(), Is.EqualTo("HS256"));
        Assert.That(payload.Select(p => p.Key).Order(), Is.EqualTo(new[] { "exp", "iat", "iss" }));
        Assert.That(payload["iss"]!.GetValue<string>(), Is.EqualTo(token.Id));
        Assert.That(payload["exp"]!.GetValue<long>(), Is.EqualTo(s_now.AddMinutes(30).ToUnixTimeSeconds()));
        Assert.That(payload["iat"]!.GetValue<long>(), Is.EqualTo(s_now.ToUnixTimeSeconds()));
    }

    [Test]
    public void TryVerify_OwnToken_ReturnsExpiry()
    {
        var token = Token();
        var jwt = _codec.Create(token, s_now, s_now.AddMinutes(30));

        Assert.That(_codec.TryReadIssuer(jwt, out var issuer), Is.True);
        Assert.That(issuer, Is.EqualTo(token.Id));
        Assert.That(_codec.TryVerify(jwt, token, out var expires), Is.True);
        Assert.That(expires, Is.EqualTo(s_now.AddMinutes(30)));
    }

    [Test]
    public void TryVerify_AlgNone_Refused()
    {
        var token = Token();
        var unsigned = $"{B64("{\"alg\":\"none\",\"typ\":\"JWT\"}")}.{B64(Payload(token.Id))}.";

        Assert.That(_codec.TryVerify(unsigned, token, out _), Is.False);
    }

    [Test]
    public void TryVerify_SignedWithAnotherKey_Refused()
    {
        var token = Token();
        var jwt = _codec.Create(token with { JwtKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64)) },
            s_now, s_now.AddMinutes(30));

        Assert.That(_codec.TryVerify(jwt, token, out _), Is.False);
    }

    [Test]
    public void TryVerify_TamperedPayload_Refused()
    {
        var token = Token();
        var parts = _codec.Create(token, s_now, s_now.AddMinutes(30)).Split('.');
        var forged = $"{parts[0]}.{B64(Payload(token.Id, s_now.AddYears(10)))}.{parts[2]}";

        Assert.That(_codec.TryVerify(forged, token, out _), Is.False);
    }

    [Test]
    public void TryVerify_Hs512WithRightKey_Refused()
    {
        var token = Token();
        var signingInput = $"{B64("{\"alg\":\"HS512\",\"typ\":\"JWT\"}")}.{B64(Payload(token.Id))}";
        var signature = HMACSHA512.HashData(Convert.FromBase64String(token.JwtKey), Encoding.ASCII.GetBytes(signingInput));

        Assert.That(_codec.TryVerify($"{signingInput}.{B64(signature)}", token, out _), Is.False);
    }

    [Test]
    public void TryVerify_OtherIssuerSignedWithThisKey_Refused()
    {
        var token = Token();
        var jwt = _codec.Create(token with { Id = "someone-else" }, s_now, s_now.AddMinutes(30));

        Assert.That(_codec.TryVerify(jwt, token, out _), Is.False);
    }

    [TestCase("")]
    [TestCase("garbage")]
    [TestCase("a.b.c")]
    [TestCase("eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjF9.x")]
    public void TryReadIssuer_NotAJwtWithIssuer_False(string text)
    {
        Assert.That(_codec.TryReadIssuer(text, out _), Is.False);
    }

    [Test]
    public async Task TryAuthenticate_ExpiredJwt_RefusedByManager()
    {
        var time = new FakeTimeProvider(s_now);
        var hasher = new PasswordHasher(1_000);
        using var manager = new AuthManager(new InMemoryAuthStore(), hasher, _codec,
            new AuthProviderRegistry([new HomeAssistantAuthProvider(hasher)]), time, new AuthOptions());
        var code = await manager.Users.CreateOwnerAsync("http://127.0.0.1/", "Alice", "alice", "correct horse battery", "en");
        var grant = await manager.Tokens.ExchangeAuthCodeAsync("http://127.0.0.1/", code, null);
        Assert.That(manager.AccessTokens.TryAuthenticate(grant.AccessToken, out _), Is.True);

        time.Advance(TimeSpan.FromMinutes(30));

        Assert.That(manager.AccessTokens.TryAuthenticate(grant.AccessToken, out _), Is.False);
    }

    private static RefreshToken Token() => new()
    {
        Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
        UserId = "u1",
        TokenHash = "x",
        JwtKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64)),
    };

    private static string Payload(string issuer, DateTimeOffset? expires = null) =>
        $"{{\"iss\":\"{issuer}\",\"iat\":{s_now.ToUnixTimeSeconds()},\"exp\":{(expires ?? s_now.AddMinutes(30)).ToUnixTimeSeconds()}}}";

    private static string B64(string text) => B64(Encoding.UTF8.GetBytes(text));

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static JsonObject Part(string jwt, int index)
    {
        var part = jwt.Split('.')[index].Replace('-', '+').Replace('_', '/');
        part = part.PadRight(part.Length + ((4 - (part.Length % 4)) % 4), '=');
        return JsonNode.Parse(Convert.FromBase64String(part))!.AsObject();
    }
}
