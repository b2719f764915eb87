using PiHub.Core.Auth;

namespace PiHub.Core.Tests.Auth.Tokens;

public class AccessTokenValidatorTests
{
    [Test]
    public async Task TryAuthenticate_After30Minutes_Refused()
    {
        using var ctx = new AuthTestContext();
        await ctx.OnboardAsync();
        var grant = await ctx.LoginForTokensAsync();
        Assert.That(ctx.Manager.AccessTokens.TryAuthenticate(grant.AccessToken, out _), Is.True);

        ctx.Time.Advance(TimeSpan.FromMinutes(30));

        Assert.That(ctx.Manager.AccessTokens.TryAuthenticate(grant.AccessToken, out _), Is.False);
    }

    [TestCase("")]
    [TestCase("garbage")]
    [TestCase("a.b.c.d")]
    public async Task TryAuthenticate_Garbage_Refused(string token)
    {
        using var ctx = new AuthTestContext();
        await ctx.OnboardAsync();

        Assert.That(ctx.Manager.AccessTokens.TryAuthenticate(token, out _), Is.False);
    }

    [Test]
    public async Task ReportRefused_Address_RaisesLoginFailed()
    {
        using var ctx = new AuthTestContext();
        await ctx.OnboardAsync();
        var failures = new List<LoginFailure>();
        ctx.Manager.LoginFailed += failures.Add;

        Assert.That(ctx.Manager.AccessTokens.TryAuthenticate("garbage", AuthTestContext.Lan, out _), Is.False);
        ctx.Manager.AccessTokens.ReportRefused(AuthTestContext.Lan);

        Assert.That(failures, Has.Count.EqualTo(1), "probing alone does not count; the report does");
        Assert.That(failures[0].Reason, Is.EqualTo("invalid_access_token"));
    }

    [Test]
    public async Task TryAuthenticate_RepeatedToken_VerifiesSignatureOnce()
    {
        using var ctx = new AuthTestContext();
        await ctx.OnboardAsync();
        var grant = await ctx.LoginForTokensAsync();

        for (var i = 0; i < 100; i++) Assert.That(ctx.Manager.AccessTokens.TryAuthenticate(grant.AccessToken, out _), Is.True);

        Assert.That(ctx.Codec.VerifyCount, Is.EqualTo(1));
    }

    [Test]
    public async Task TryAuthenticate_UserDeactivated_RefusedAtOnce()
    {
        using var ctx = new AuthTestContext();
        var owner = await ctx.OnboardAsync();
        var bob = await ctx.CreateUserWithPasswordAsync("Bob", "bob", "bob's password");
        var grant = await ctx.LoginForTokensAsync("bob", "bob's password");
        Assert.That(ctx.Manager.AccessTokens.TryAuthenticate(grant.AccessToken, out _), Is.True);

        await ctx.Manager.Users.UpdateAsync(owner, bob, new UserUpdate { IsActive = false });

        Assert.That(ctx.Manager.AccessTokens.TryAuthenticate(grant.AccessToken, out _), Is.False);
    }

    [Test]
    public async Task TryAuthenticate_LongLivedTokenUsedOften_LastUseWrittenAtMostEvery5Minutes()
    {
        using var ctx = new AuthTestContext();
        var owner = await ctx.OnboardAsync();
        var llat = await ctx.Manager.Tokens.CreateLongLivedTokenAsync(owner, "Tasker", 30);
        var commits = ctx.Store.CommitCount;

        for (var i = 0; i < 600; i++)
        {
            ctx.Time.Advance(TimeSpan.FromSeconds(1));
            Assert.That(ctx.Manager.AccessTokens.TryAuthenticate(llat, AuthTestContext.Lan, out _), Is.True);
        }

        await ctx.Manager.AccessTokens.FlushLastUsedAsync();
        // 10 minutes of use: a write at 5 min, one at 10 min (or the flush) — never one per request.
        Assert.That(ctx.Store.CommitCount - commits, Is.InRange(1, 3));
        var listed = ctx.Manager.Tokens.ListRefreshTokens(owner).Single();
        Assert.That(listed.LastUsedIp, Is.EqualTo("192.168.1.20"));
    }
}
