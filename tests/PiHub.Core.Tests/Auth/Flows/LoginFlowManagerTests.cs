using System.Net;
using PiHub.Core.Auth;
using PiHub.Core.Auth.Flows;

namespace PiHub.Core.Tests.Auth.Flows;

public class LoginFlowManagerTests
{
    [Test]
    public async Task StartAsync_Homeassistant_AnswersUsernamePasswordForm()
    {
        using var ctx = new AuthTestContext();
        await ctx.OnboardAsync();

        var flow = await ctx.Manager.Flows.StartAsync(AuthTestContext.ClientId, "homeassistant", null,
            AuthTestContext.ClientId, AuthTestContext.Lan);

        Assert.That(flow.Type, Is.EqualTo(LoginFlowResultTypes.Form));
        Assert.That(flow.StepId, Is.EqualTo("init"));
        Assert.That(flow.DataSchema.Select(f => f.Name), Is.EqualTo(new[] { "username", "password" }));
        Assert.That(flow.FlowId, Has.Length.EqualTo(32));
    }

    [Test]
    public async Task ContinueAsync_RightPassword_CreateEntryWithAuthCode()
    {
        using var ctx = new AuthTestContext();
        await ctx.OnboardAsync();

        var result = await ctx.LoginAsync(" ALICE ", AuthTestContext.OwnerPassword);

        Assert.That(result.Type, Is.EqualTo(LoginFlowResultTypes.CreateEntry));
        Assert.That(result.Result, Is.Not.Null.And.Not.Empty);
    }

    [TestCase("alice", "wrong password")]
    [TestCase("nobody", AuthTestContext.OwnerPassword)]
    [TestCase("", "")]
    public async Task ContinueAsync_WrongCredentials_FormAgainWithInvalidAuth(string username, string password)
    {
        using var ctx = new AuthTestContext();
        await ctx.OnboardAsync();
        var failures = new List<LoginFailure>();
        ctx.Manager.LoginFailed += failures.Add;
        var users = ctx.Store.Current.Users.Count;

        var result = await ctx.LoginAsync(username, password);

        Assert.That(result.Type, Is.EqualTo(LoginFlowResultTypes.Form));
        Assert.That(result.Errors["base"], Is.EqualTo("invalid_auth"));
        Assert.That(failures, Has.Count.EqualTo(1));
        Assert.That(failures[0].ClientAddress, Is.EqualTo(AuthTestContext.Lan));
        Assert.That(ctx.Store.Current.Users, Has.Count.EqualTo(users), "a login never creates a user");
    }

    [Test]
    public async Task ContinueAsync_WrongThenRight_SameFlowSucceeds()
    {
        using var ctx = new AuthTestContext();
        await ctx.OnboardAsync();
        var flow = await ctx.Manager.Flows.StartAsync(AuthTestContext.ClientId, "homeassistant", null, null, AuthTestContext.Lan);

        await ctx.Manager.Flows.ContinueAsync(flow.FlowId, AuthTestContext.ClientId, Input("alice", "nope nope"), AuthTestContext.Lan);
        var second = await ctx.Manager.Flows.ContinueAsync(flow.FlowId, AuthTestContext.ClientId,
            Input("alice", AuthTestContext.OwnerPassword), AuthTestContext.Lan);

        Assert.That(second.Type, Is.EqualTo(LoginFlowResultTypes.CreateEntry));
    }

    [Test]
    public async Task ContinueAsync_AddressChanged_InvalidRequestAndFlowDropped()
    {
        using var ctx = new AuthTestContext();
        await ctx.OnboardAsync();
        var flow = await ctx.Manager.Flows.StartAsync(AuthTestContext.ClientId, "homeassistant", null, null, AuthTestContext.Lan);

        var ex = Assert.ThrowsAsync<AuthException>(() => ctx.Manager.Flows.ContinueAsync(flow.FlowId,
            AuthTestContext.ClientId, Input("alice", AuthTestContext.OwnerPassword), IPAddress.Parse("192.168.1.99")));
        var again = Assert.ThrowsAsync<AuthException>(() => ctx.Manager.Flows.ContinueAsync(flow.FlowId,
            AuthTestContext.ClientId, Input("alice", AuthTestContext.OwnerPassword), AuthTestContext.Lan));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.InvalidRequest));
        Assert.That(ex.Message, Does.Contain("IP address changed"));
        Assert.That(again!.Code, Is.EqualTo(AuthErrorCodes.NotFound));
    }

    [Test]
    public async Task ContinueAsync_OtherClientId_InvalidRequest()
    {
        using var ctx = new AuthTestContext();
        await ctx.OnboardAsync();
        var flow = await ctx.Manager.Flows.StartAsync(AuthTestContext.ClientId, "homeassistant", null, null, AuthTestContext.Lan);

        var ex = Assert.ThrowsAsync<AuthException>(() => ctx.Manager.Flows.ContinueAsync(flow.FlowId,
            "http://evil.example/", Input("alice", AuthTestContext.OwnerPassword), AuthTestContext.Lan));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.InvalidRequest));
    }

    [Test]
    public async Task ContinueAsync_After10Minutes_FlowExpired()
    {
        using var ctx = new AuthTestContext();
        await ctx.OnboardAsync();
        var flow = await ctx.Manager.Flows.StartAsync(AuthTestContext.ClientId, "homeassistant", null, null, AuthTestContext.Lan);
        ctx.Time.Advance(TimeSpan.FromMinutes(10));

        var ex = Assert.ThrowsAsync<AuthException>(() => ctx.Manager.Flows.ContinueAsync(flow.FlowId,
            AuthTestContext.ClientId, Input("alice", AuthTestContext.OwnerPassword), AuthTestContext.Lan));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.NotFound));
        Assert.That(ex.Message, Does.Contain("POST /auth/login_flow"));
    }

    [Test]
    public async Task StartAsync_UnknownHandler_NotFound()
    {
        using var ctx = new AuthTestContext();
        await ctx.OnboardAsync();

        var ex = Assert.ThrowsAsync<AuthException>(() => ctx.Manager.Flows.StartAsync(AuthTestContext.ClientId,
            "legacy_api_password", null, null, AuthTestContext.Lan));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.NotFound));
    }

    [Test]
    public async Task StartAsync_RedirectToOtherHost_InvalidRequest()
    {
        using var ctx = new AuthTestContext();
        await ctx.OnboardAsync();

        var ex = Assert.ThrowsAsync<AuthException>(() => ctx.Manager.Flows.StartAsync(AuthTestContext.ClientId,
            "homeassistant", null, "http://evil.example/steal", AuthTestContext.Lan));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.InvalidRequest));
    }

    [Test]
    public async Task ContinueAsync_DeactivatedUser_AbortsUserNotActive()
    {
        using var ctx = new AuthTestContext();
        var owner = await ctx.OnboardAsync();
        var bob = await ctx.CreateUserWithPasswordAsync("Bob", "bob", "bob's password");
        await ctx.Manager.Users.UpdateAsync(owner, bob, new UserUpdate { IsActive = false });

        var result = await ctx.LoginAsync("bob", "bob's password");

        Assert.That(result.Type, Is.EqualTo(LoginFlowResultTypes.Abort));
        Assert.That(result.Reason, Is.EqualTo("user_not_active"));
    }

    [Test]
    public async Task ContinueAsync_LocalOnlyUserFromInternet_Aborts()
    {
        using var ctx = new AuthTestContext();
        var owner = await ctx.OnboardAsync();
        var bob = await ctx.CreateUserWithPasswordAsync("Bob", "bob", "bob's password");
        await ctx.Manager.Users.UpdateAsync(owner, bob, new UserUpdate { LocalOnly = true });

        var remote = await ctx.LoginAsync("bob", "bob's password", IPAddress.Parse("203.0.113.9"));
        var local = await ctx.LoginAsync("bob", "bob's password");

        Assert.That(remote.Reason, Is.EqualTo("login_local_only"));
        Assert.That(local.Type, Is.EqualTo(LoginFlowResultTypes.CreateEntry));
    }

    [Test]
    public async Task ContinueAsync_HashWrittenAtLowerCost_RehashedAtCurrentCost()
    {
        using var ctx = new AuthTestContext();
        await ctx.OnboardAsync();
        var stronger = new PasswordHasher(2_000);
        using var manager = new AuthManager(ctx.Store, stronger, ctx.Codec,
            new PiHub.Core.Auth.Providers.AuthProviderRegistry([new PiHub.Core.Auth.Providers.HomeAssistantAuthProvider(stronger)]),
            ctx.Time, new AuthOptions());

        var flow = await manager.Flows.StartAsync(AuthTestContext.ClientId, "homeassistant", null, null, AuthTestContext.Lan);
        var result = await manager.Flows.ContinueAsync(flow.FlowId, AuthTestContext.ClientId,
            Input("alice", AuthTestContext.OwnerPassword), AuthTestContext.Lan);

        Assert.That(result.Type, Is.EqualTo(LoginFlowResultTypes.CreateEntry));
        Assert.That(ctx.Store.Current.Credentials.Values.Single().PasswordHash, Does.StartWith("pbkdf2-sha256$2000$"));
        Assert.That(manager.Passwords.Verify(ctx.OwnerId, AuthTestContext.OwnerPassword), Is.True);
    }

    [Test]
    public async Task ContinueAsync_StoreReadOnly_LoginStillSucceeds()
    {
        using var ctx = new AuthTestContext();
        await ctx.OnboardAsync();
        ctx.Store.EnterReadOnly("power failing");

        var result = await ctx.LoginAsync("alice", AuthTestContext.OwnerPassword);

        Assert.That(result.Type, Is.EqualTo(LoginFlowResultTypes.CreateEntry));
    }

    private static Dictionary<string, string> Input(string username, string password) =>
        new() { ["username"] = username, ["password"] = password };
}
