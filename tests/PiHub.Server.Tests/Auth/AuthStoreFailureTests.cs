using System.Net;
using System.Text.Json.Nodes;
using PiHub.Core.Auth.Storage;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Testing;

namespace PiHub.Server.Tests.Auth;

/// <summary>Auth requests while the store cannot write: a clear 503, nothing half-done, and the next try works.</summary>
public class AuthStoreFailureTests
{
    [Test]
    public async Task Token_StoreReadOnly_503WithReasonAndLoginStillAnswers()
    {
        await using var hub = await TestHub.StartAsync();
        await PasswordFlow.OnboardAsync(hub.Http);
        var code = await PasswordFlow.LoginAsync(hub.Http);
        hub.Service<IAuthStore>().EnterReadOnly("power failing");

        var response = await PasswordFlow.TokenAsync(hub.Http, ("grant_type", "authorization_code"), ("code", code),
            ("client_id", HubApi.ClientId));
        var body = await PasswordFlow.ReadJsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(body["error"]!.GetValue<string>(), Is.EqualTo("store_unavailable"));
        Assert.That(body["error_description"]!.GetValue<string>(), Does.Contain("power failing").And.Contain("nothing was changed"));
    }

    [Test]
    public async Task Onboarding_StoreWriteFails_503ThenRetrySucceeds()
    {
        FailingAuthStore store = null!;
        await using var hub = await TestHub.StartAsync(services: s =>
            TestHub.DecorateSingleton<IAuthStore>(s, inner => store = new FailingAuthStore(inner)));
        store.FailNextCommit = true;

        var failed = await hub.Http.PostAsync("/api/onboarding/users", PasswordFlow.Json(new JsonObject
        {
            ["client_id"] = HubApi.ClientId,
            ["name"] = "Owner",
            ["username"] = "owner",
            ["password"] = HubApi.OwnerPassword,
            ["language"] = "en",
        }));

        Assert.That(failed.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(await PasswordFlow.IsOnboardedAsync(hub.Http), Is.False);
        await PasswordFlow.OnboardAsync(hub.Http);
        Assert.That(await PasswordFlow.IsOnboardedAsync(hub.Http), Is.True);
    }
}
