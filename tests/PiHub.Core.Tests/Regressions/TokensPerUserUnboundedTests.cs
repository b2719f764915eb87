using PiHub.Core.Auth;
using PiHub.Core.Auth.Model;
using PiHub.Core.Tests.Auth;

namespace PiHub.Core.Tests.Regressions;

/// <summary>
/// Issue 24, item 8: a non-admin user created 500 long-lived tokens in 1.1 s, each growing the auth store, every
/// commit's invariant check and every snapshot; logins added sessions without bound. Long-lived tokens are capped
/// per user (100) with a refusal that says how to delete old ones; sessions (normal refresh tokens) per user are
/// capped (50) by ending the least recently used one.
/// </summary>
public sealed class TokensPerUserUnboundedTests
{
    [Test]
    public async Task CreateLongLivedToken_BeyondTheCap_TooManyTokensNamingHowToDelete()
    {
        using var ctx = new AuthTestContext();
        await ctx.OnboardAsync();
        var bob = await ctx.CreateUserWithPasswordAsync("Bob", "bob", "bob's password");
        var max = new AuthOptions().MaxLongLivedTokensPerUser;
        for (var i = 0; i < max; i++) await ctx.Manager.Tokens.CreateLongLivedTokenAsync(bob, $"script {i}", 30);

        var ex = Assert.ThrowsAsync<AuthException>(() => ctx.Manager.Tokens.CreateLongLivedTokenAsync(bob, "one more", 30));

        Assert.That(max, Is.EqualTo(100));
        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.TooManyTokens));
        Assert.That(ex.Message, Does.Contain("auth/delete_refresh_token").And.Contain("Profile page").And.Contain("pihub-cli tokens revoke"));
        Assert.That(ctx.Store.Current.RefreshTokens.Values.Count(t => t.UserId == bob), Is.EqualTo(max));
        Assert.That(await ctx.Manager.Tokens.CreateLongLivedTokenAsync(ctx.OwnerId, "the owner's own", 30), Is.Not.Empty,
            "the cap is per user");
    }

    [Test]
    public async Task Login_BeyondTheSessionCap_LeastRecentlyUsedSessionEnds()
    {
        using var ctx = new AuthTestContext();
        await ctx.OnboardAsync();
        var max = new AuthOptions().MaxRefreshTokensPerUser;
        var grants = new List<TokenGrant>();
        for (var i = 0; i < max; i++)
        {
            grants.Add(await ctx.LoginForTokensAsync());
            ctx.Time.Advance(TimeSpan.FromMinutes(1));
        }

        await ctx.Manager.Tokens.RefreshAccessTokenAsync(AuthTestContext.ClientId, grants[0].RefreshToken, AuthTestContext.Lan);
        var revoked = new List<string>();
        ctx.Manager.RefreshTokenRevoked += (id, _) => revoked.Add(id);

        var newest = await ctx.LoginForTokensAsync();

        var sessions = ctx.Store.Current.RefreshTokens.Values.Where(t => t.TokenType == RefreshTokenTypes.Normal).Select(t => t.Id).ToList();
        Assert.That(max, Is.EqualTo(50));
        Assert.That(sessions, Has.Count.EqualTo(max));
        Assert.That(sessions, Does.Contain(newest.RefreshTokenId).And.Contain(grants[0].RefreshTokenId), "the one used just now stays");
        Assert.That(sessions, Does.Not.Contain(grants[1].RefreshTokenId));
        Assert.That(revoked, Is.EqualTo(new[] { grants[1].RefreshTokenId }));
    }
}
