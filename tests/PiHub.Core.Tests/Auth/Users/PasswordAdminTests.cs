using PiHub.Core.Auth;

namespace PiHub.Core.Tests.Auth.Users;

public class PasswordAdminTests
{
    [Test]
    public async Task CreateCredentialAsync_UsernameTakenInOtherCase_UsernameExists()
    {
        using var ctx = new AuthTestContext();
        var owner = await ctx.OnboardAsync();
        var user = await ctx.Manager.Users.CreateAsync(owner, "Alice Two", null);

        var ex = Assert.ThrowsAsync<AuthException>(() =>
            ctx.Manager.Passwords.CreateCredentialAsync(owner, user.Id, " ALICE", "some password"));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.UsernameExists));
    }

    [Test]
    public async Task CreateCredentialAsync_SecondForSameUser_CredentialExists()
    {
        using var ctx = new AuthTestContext();
        var owner = await ctx.OnboardAsync();
        var bob = await ctx.CreateUserWithPasswordAsync("Bob", "bob", "bob's password");

        var ex = Assert.ThrowsAsync<AuthException>(() =>
            ctx.Manager.Passwords.CreateCredentialAsync(owner, bob, "bobby", "bob's password"));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.CredentialExists));
    }

    [Test]
    public async Task ChangeAsync_Default_RevokesOtherTokensKeepsCurrent()
    {
        using var ctx = new AuthTestContext();
        var owner = await ctx.OnboardAsync();
        var current = await ctx.LoginForTokensAsync();
        var other = await ctx.LoginForTokensAsync();
        await ctx.Manager.Tokens.CreateLongLivedTokenAsync(owner, "Tasker", 30);

        await ctx.Manager.Passwords.ChangeAsync(owner, AuthTestContext.OwnerPassword, "a brand new password", current.RefreshTokenId);

        Assert.That(ctx.Manager.Tokens.ListRefreshTokens(owner).Select(t => t.Id), Is.EqualTo(new[] { current.RefreshTokenId }));
        Assert.That(ctx.Manager.AccessTokens.TryAuthenticate(other.AccessToken, out _), Is.False);
        Assert.That((await ctx.LoginAsync("alice", "a brand new password")).Result, Is.Not.Null);
        Assert.That((await ctx.LoginAsync("alice", AuthTestContext.OwnerPassword)).Errors["base"], Is.EqualTo("invalid_auth"));
    }

    [Test]
    public async Task ChangeAsync_KeepTokens_OtherTokensSurvive()
    {
        using var ctx = new AuthTestContext();
        var owner = await ctx.OnboardAsync();
        await ctx.LoginForTokensAsync();
        await ctx.LoginForTokensAsync();

        await ctx.Manager.Passwords.ChangeAsync(owner, AuthTestContext.OwnerPassword, "a brand new password",
            revokeOtherTokens: false);

        Assert.That(ctx.Manager.Tokens.ListRefreshTokens(owner), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task ChangeAsync_WrongCurrentPassword_InvalidAuthAndNothingChanged()
    {
        using var ctx = new AuthTestContext();
        var owner = await ctx.OnboardAsync();
        var commits = ctx.Store.CommitCount;

        var ex = Assert.ThrowsAsync<AuthException>(() =>
            ctx.Manager.Passwords.ChangeAsync(owner, "not my password", "a brand new password"));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.InvalidAuth));
        Assert.That(ctx.Store.CommitCount, Is.EqualTo(commits));
    }

    [Test]
    public async Task AdminChangeAsync_ByAdmin_SetsPasswordAndRevokesTargetTokens()
    {
        using var ctx = new AuthTestContext();
        var owner = await ctx.OnboardAsync();
        var bob = await ctx.CreateUserWithPasswordAsync("Bob", "bob", "bob's password");
        await ctx.LoginForTokensAsync("bob", "bob's password");

        await ctx.Manager.Passwords.AdminChangeAsync(owner, bob, "bob's new password");

        Assert.That(ctx.Manager.Tokens.ListRefreshTokens(bob), Is.Empty);
        Assert.That(ctx.Manager.Passwords.Verify(bob, "bob's new password"), Is.True);
    }

    [Test]
    public async Task AdminChangeAsync_ByNonAdmin_Unauthorized()
    {
        using var ctx = new AuthTestContext();
        var owner = await ctx.OnboardAsync();
        var bob = await ctx.CreateUserWithPasswordAsync("Bob", "bob", "bob's password");

        var ex = Assert.ThrowsAsync<AuthException>(() => ctx.Manager.Passwords.AdminChangeAsync(bob, owner, "taken over!"));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.Unauthorized));
        Assert.That(ctx.Manager.Passwords.Verify(owner, AuthTestContext.OwnerPassword), Is.True);
    }
}
