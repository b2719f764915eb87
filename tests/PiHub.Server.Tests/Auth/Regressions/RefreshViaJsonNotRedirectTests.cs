using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Testing;

namespace PiHub.Server.Tests.Auth.Regressions;

/// <summary>
/// User thread (HA 0.77): "asking for a new token using the refresh token … redirects me to the frontend …
/// instead of serving the json with the new token". PiHub answers every token request with JSON.
/// </summary>
public class RefreshViaJsonNotRedirectTests : OnboardedHubTests
{
    /// <summary>Logs the owner in through the login flow: the token response.</summary>
    private Task<JsonNode> LoginForTokensAsync() => Hub.Api.LoginAsync("owner", HubApi.OwnerPassword);

    [Test]
    public async Task RefreshViaJson_FormPost_AnswersJsonTokenNotRedirect()
    {
        var tokens = await LoginForTokensAsync();

        var response = await PasswordFlow.TokenAsync(Hub.Http, ("grant_type", "refresh_token"),
            ("refresh_token", tokens["refresh_token"]!.GetValue<string>()), ("client_id", HubApi.ClientId));
        var body = await PasswordFlow.ReadJsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Headers.Location, Is.Null);
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/json"));
        Assert.That(body["access_token"]!.GetValue<string>(), Is.Not.Empty);
        Assert.That(await PasswordFlow.ApiStatusAsync(Hub.Http, body["access_token"]!.GetValue<string>()), Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task RefreshViaJson_JsonBody_AlsoAnswersJsonToken()
    {
        var tokens = await LoginForTokensAsync();
        var json = "{\"grant_type\":\"refresh_token\",\"refresh_token\":\"" + tokens["refresh_token"]!.GetValue<string>() +
                   "\",\"client_id\":\"" + HubApi.ClientId + "\"}";

        var response = await Hub.Http.PostAsync("/auth/token", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await PasswordFlow.ReadJsonAsync(response))["token_type"]!.GetValue<string>(), Is.EqualTo("Bearer"));
    }

    [Test]
    public async Task RefreshViaJson_GetWithQueryString_JsonErrorSayingHowNotRedirect()
    {
        var tokens = await LoginForTokensAsync();

        var response = await Hub.Http.GetAsync(
            $"/auth/token?grant_type=refresh_token&refresh_token={tokens["refresh_token"]!.GetValue<string>()}");
        var body = await PasswordFlow.ReadJsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
        Assert.That(response.Headers.Location, Is.Null);
        Assert.That(body["error_description"]!.GetValue<string>(), Does.Contain("POST /auth/token"));
    }
}
