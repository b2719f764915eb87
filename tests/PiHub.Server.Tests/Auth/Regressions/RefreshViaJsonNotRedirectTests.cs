using System.Net;
using System.Text;

namespace PiHub.Server.Tests.Auth.Regressions;

/// <summary>
/// User thread (HA 0.77): "asking for a new token using the refresh token … redirects me to the frontend …
/// instead of serving the json with the new token". PiHub answers every token request with JSON.
/// </summary>
public class RefreshViaJsonNotRedirectTests
{
    private AuthTestServer _server = null!;

    [SetUp]
    public async Task SetUp() => _server = await AuthTestServer.StartAsync();

    [TearDown]
    public async Task TearDown() => await _server.DisposeAsync();

    [Test]
    public async Task RefreshViaJson_FormPost_AnswersJsonTokenNotRedirect()
    {
        var tokens = await _server.LoginForTokensAsync();

        var response = await _server.TokenAsync(("grant_type", "refresh_token"),
            ("refresh_token", tokens["refresh_token"]!.GetValue<string>()), ("client_id", AuthTestServer.ClientId));
        var body = await AuthTestServer.ReadJsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Headers.Location, Is.Null);
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/json"));
        Assert.That(body["access_token"]!.GetValue<string>(), Is.Not.Empty);
        Assert.That(await _server.WhoAmIAsync(body["access_token"]!.GetValue<string>()), Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task RefreshViaJson_JsonBody_AlsoAnswersJsonToken()
    {
        var tokens = await _server.LoginForTokensAsync();
        var json = "{\"grant_type\":\"refresh_token\",\"refresh_token\":\"" + tokens["refresh_token"]!.GetValue<string>() +
                   "\",\"client_id\":\"" + AuthTestServer.ClientId + "\"}";

        var response = await _server.Client.PostAsync("/auth/token", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await AuthTestServer.ReadJsonAsync(response))["token_type"]!.GetValue<string>(), Is.EqualTo("Bearer"));
    }

    [Test]
    public async Task RefreshViaJson_GetWithQueryString_JsonErrorSayingHowNotRedirect()
    {
        var tokens = await _server.LoginForTokensAsync();

        var response = await _server.Client.GetAsync(
            $"/auth/token?grant_type=refresh_token&refresh_token={tokens["refresh_token"]!.GetValue<string>()}");
        var body = await AuthTestServer.ReadJsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
        Assert.That(response.Headers.Location, Is.Null);
        Assert.That(body["error_description"]!.GetValue<string>(), Does.Contain("POST /auth/token"));
    }
}
