using PiHub.Core.Auth;
using PiHub.Core.Auth.Model;

namespace PiHub.Core.Tests.Auth;

public class AuthManagerTokenTests
{
    [Test]
    public async Task ExchangeAuthCodeAsync_ValidCode_GrantsAccessAndRefreshToken()
    {
        using var ctx = new AuthTestContext();
        await ctx.OnboardAsync();

        var grant = await ctx.LoginForTokensAsync();

        Assert.That(grant.ExpiresIn, Is.EqualTo(1800));
        Assert.That(grant.RefreshToken, Has.Length.EqualTo(128));
        Assert.That(grant.AuthProviderType, Is.EqualTo("homeassistant"));
        var stored = ctx.Store.Current.RefreshTokens[grant.RefreshTokenId];
        Assert.That(stored.TokenHash, Is.Not.EqualTo(grant.RefreshToken), "only the hash is stored");
        Assert.That(stored.TokenHash, Has.Length.EqualTo(64));
        Assert.That(stored.ClientId, Is.EqualTo(AuthTestContext.ClientId));
        Assert.That(ctx.Manager.TryAuthenticate(grant.AccessToken, out var principal), Is.True);
        Assert.That(principal!.User.IsOwner, Is.True);
    }

    [Test]
    public async Task ExchangeAuthCodeAsync_CodeUsedTwice_SecondIsInvalidGrant()
    {
        using var ctx = new AuthTestContext();
        await ctx.OnboardAsync();
        var login = await ctx.LoginAsync("alice", AuthTestContext.OwnerPassword);
        await ctx.Manager.ExchangeAuthCodeAsync(AuthTestContext.ClientId, login.Result, AuthTestContext.Lan);

        var ex = Assert.ThrowsAsync<AuthException>(() =>
            ctx.Manager.ExchangeAuthCodeAsync(AuthTestContext.ClientId, login.Result, AuthTestContext.Lan));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.InvalidGrant));
    }

    [Test]
    public async Task ExchangeAuthCodeAsync_After10Minutes_InvalidGrant()
    {
        using var ctx = new AuthTestContext();
        await ctx.OnboardAsync();
        var login = await ctx.LoginAsync("alice", AuthTestContext.OwnerPassword);
        ctx.Time.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));

        var ex = Assert.ThrowsAsync<AuthException>(() =>
            ctx.Manager.ExchangeAuthCodeAsync(AuthTestContext.ClientId, login.Result, AuthTestContext.Lan));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.InvalidGrant));
    }

    [Test]
    public async Task ExchangeAuthCodeAsync_Within10Minutes_Works()
    {
        using var ctx = new AuthTestContext();
        await ctx.OnboardAsync();
        var login = await ctx.LoginAsync("alice", AuthTestContext.OwnerPassword);
        ctx.Time.Advance(TimeSpan.FromMinutes(9));

        var grant = await ctx.Manager.ExchangeAuthCodeAsync(AuthTestContext.ClientId, login.Result, AuthTestContext.Lan);

        Assert.That(grant.AccessToken, Is.Not.Empty);
    }

    [Test]
    public async Task ExchangeAuthCodeAsync_OtherClientId_InvalidGrant()
    {
        using var ctx = new AuthTestContext();
        await ctx.OnboardAsync();
        var login = await ctx.LoginAsync("alice", AuthTestContext.OwnerPassword);

        var ex = Assert.ThrowsAsync<AuthException>(() =>
            ctx.Manager.ExchangeAuthCodeAsync("http://other.example/", login.Result, AuthTestContext.Lan));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.InvalidGrant));
    }

    [Test]
    public async Task ExchangeAuthCodeAsync_OnboardingCode_GrantsOwnerTokens()
    {
        using var ctx = new AuthTestContext();
        var code = await ctx.Manager.CreateOwnerAsync(AuthTestContext.ClientId, "Alice", "alice", "correct horse battery", "en");

        var grant = await ctx.Manager.ExchangeAuthCodeAsync(AuthTestContext.ClientId, code, AuthTestContext.Lan);

        Assert.That(ctx.Store.Current.RefreshTokens[grant.RefreshTokenId].UserId, Is.EqualTo(ctx.OwnerId));
    }

    [Test]
    public async Task RefreshAccessTokenAsync_MatchingClient_NewAccessTokenWithoutRefreshToken()
    {
        using var ctx = new AuthTestContext();
        await ctx.OnboardAsync();
        var grant = await ctx.LoginForTokensAsync();

        var refreshed = await ctx.Manager.RefreshAccessTokenAsync(AuthTestContext.ClientId, grant.RefreshToken, AuthTestContext.Lan);

        Assert.That(refreshed.RefreshToken, Is.Null);
        Assert.That(refreshed.ExpiresIn, Is.EqualTo(1800));
        Assert.That(ctx.Manager.TryAuthenticate(refreshed.AccessToken, out _), Is.True);
    }

    [Test]
    public async Task RefreshAccessTokenAsync_OtherClientId_InvalidRequest()
    {
        using var ctx = new AuthTestContext();
        await ctx.OnboardAsync();
        var grant = await ctx.LoginForTokensAsync();

        var ex = Assert.ThrowsAsync<AuthException>(() =>
            ctx.Manager.RefreshAccessTokenAsync("http://other.example/", grant.RefreshToken, AuthTestContext.Lan));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.InvalidRequest));
        Assert.That(ex.Message, Does.Contain("client_id"));
    }

    [Test]
    public async Task RevokeAsync_Token_RefreshAndAccessRefusedAndEventRaised()
    {
        using var ctx = new AuthTestContext();
        await ctx.OnboardAsync();
        var grant = await ctx.LoginForTokensAsync();
        Assert.That(ctx.Manager.TryAuthenticate(grant.AccessToken, out _), Is.True, "cached before revocation");
        var revoked = new List<string>();
        ctx.Manager.RefreshTokenRevoked += revoked.Add;

        var deleted = await ctx.Manager.RevokeAsync(grant.RefreshToken);

        Assert.That(deleted, Is.True);
        Assert.That(revoked, Is.EqualTo(new[] { grant.RefreshTokenId }));
        Assert.That(ctx.Manager.TryAuthenticate(grant.AccessToken, out _), Is.False);
        var ex = Assert.ThrowsAsync<AuthException>(() =>
            ctx.Manager.RefreshAccessTokenAsync(AuthTestContext.ClientId, grant.RefreshToken, AuthTestContext.Lan));
        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.InvalidGrant));
    }

    [Test]
    public async Task RevokeAsync_UnknownToken_ReturnsFalseWithoutWriting()
    {
        using var ctx = new AuthTestContext();
        await ctx.OnboardAsync();
        var commits = ctx.Store.CommitCount;

        Assert.That(await ctx.Manager.RevokeAsync("no-such-token"), Is.False);
        Assert.That(await ctx.Manager.RevokeAsync(null), Is.False);
        Assert.That(ctx.Store.CommitCount, Is.EqualTo(commits));
    }

    [Test]
    public async Task TryAuthenticate_After30Minutes_Refused()
    {
        using var ctx = new AuthTestContext();
        await ctx.OnboardAsync();
        var grant = await ctx.LoginForTokensAsync();
        Assert.That(ctx.Manager.TryAuthenticate(grant.AccessToken, out _), Is.True);

        ctx.Time.Advance(TimeSpan.FromMinutes(30));

        Assert.That(ctx.Manager.TryAuthenticate(grant.AccessToken, out _), Is.False);
    }

    [TestCase("")]
    [TestCase("garbage")]
    [TestCase("a.b.c.d")]
    public async Task TryAuthenticate_Garbage_Refused(string token)
    {
        using var ctx = new AuthTestContext();
        await ctx.OnboardAsync();

        Assert.That(ctx.Manager.TryAuthenticate(token, out _), Is.False);
    }

    [Test]
    public async Task ReportRefusedAccessToken_Address_RaisesLoginFailed()
    {
        using var ctx = new AuthTestContext();
        await ctx.OnboardAsync();
        var failures = new List<LoginFailure>();
        ctx.Manager.LoginFailed += failures.Add;

        Assert.That(ctx.Manager.TryAuthenticate("garbage", AuthTestContext.Lan, out _), Is.False);
        ctx.Manager.ReportRefusedAccessToken(AuthTestContext.Lan);

        Assert.That(failures, Has.Count.EqualTo(1), "probing alone does not count; the report does");
        Assert.That(failures[0].Reason, Is.EqualTo("invalid_access_token"));
    }

    [Test]
    public async Task TryAuthenticate_RepeatedToken_VerifiesSignatureOnce()
    {
        using var ctx = new AuthTestContext();
        await ctx.OnboardAsync();
        var grant = await ctx.LoginForTokensAsync();

        for (var i = 0; i < 100; i++) Assert.That(ctx.Manager.TryAuthenticate(grant.AccessToken, out _), Is.True);

        Assert.That(ctx.Codec.VerifyCount, Is.EqualTo(1));
    }

    [Test]
    public async Task TryAuthenticate_UserDeactivated_RefusedAtOnce()
    {
        using var ctx = new AuthTestContext();
        var owner = await ctx.OnboardAsync();
        var bob = await ctx.CreateUserWithPasswordAsync("Bob", "bob", "bob's password");
        var grant = await ctx.LoginForTokensAsync("bob", "bob's password");
        Assert.That(ctx.Manager.TryAuthenticate(grant.AccessToken, out _), Is.True);

        await ctx.Manager.UpdateUserAsync(owner, bob, new UserUpdate { IsActive = false });

        Assert.That(ctx.Manager.TryAuthenticate(grant.AccessToken, out _), Is.False);
    }

    [Test]
    public async Task RefreshAccessTokenAsync_ManyUsesWithin5Minutes_AtMostOneStoreWrite()
    {
        using var ctx = new AuthTestContext();
        await ctx.OnboardAsync();
        var grant = await ctx.LoginForTokensAsync();
        var commits = ctx.Store.CommitCount;

        for (var i = 0; i < 50; i++)
        {
            ctx.Time.Advance(TimeSpan.FromSeconds(5));
            await ctx.Manager.RefreshAccessTokenAsync(AuthTestContext.ClientId, grant.RefreshToken, AuthTestContext.Lan);
        }

        // 250 s of use: under the 5-minute interval, so nothing was written yet.
        Assert.That(ctx.Store.CommitCount, Is.EqualTo(commits));
        Assert.That(ctx.Manager.ListRefreshTokens(ctx.OwnerId).Single().LastUsedAt, Is.EqualTo(ctx.Time.GetUtcNow()));
        ctx.Time.Advance(TimeSpan.FromMinutes(1));
        await ctx.Manager.RefreshAccessTokenAsync(AuthTestContext.ClientId, grant.RefreshToken, AuthTestContext.Lan);
        Assert.That(ctx.Store.CommitCount, Is.EqualTo(commits + 1));
        Assert.That(ctx.Store.Current.RefreshTokens[grant.RefreshTokenId].LastUsedAt, Is.EqualTo(ctx.Time.GetUtcNow()));
    }

    [Test]
    public async Task RefreshAccessTokenAsync_Unused90Days_InvalidGrant()
    {
        using var ctx = new AuthTestContext();
        await ctx.OnboardAsync();
        var grant = await ctx.LoginForTokensAsync();
        ctx.Time.Advance(TimeSpan.FromDays(90));

        var ex = Assert.ThrowsAsync<AuthException>(() =>
            ctx.Manager.RefreshAccessTokenAsync(AuthTestContext.ClientId, grant.RefreshToken, AuthTestContext.Lan));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.InvalidGrant));
    }

    [Test]
    public async Task CreateLongLivedTokenAsync_ValidRequest_TokenLivesForLifespan()
    {
        using var ctx = new AuthTestContext();
        var owner = await ctx.OnboardAsync();

        var llat = await ctx.Manager.CreateLongLivedTokenAsync(owner, "Tasker", 365);

        Assert.That(ctx.Manager.TryAuthenticate(llat, out var principal), Is.True);
        Assert.That(principal!.RefreshToken.TokenType, Is.EqualTo(RefreshTokenTypes.LongLived));
        Assert.That(principal.RefreshToken.ClientName, Is.EqualTo("Tasker"));
        Assert.That(principal.ExpiresAt, Is.EqualTo(ctx.Time.GetUtcNow().AddDays(365)));
        ctx.Time.Advance(TimeSpan.FromDays(364));
        Assert.That(ctx.Manager.TryAuthenticate(llat, out _), Is.True);
        ctx.Time.Advance(TimeSpan.FromDays(1));
        Assert.That(ctx.Manager.TryAuthenticate(llat, out _), Is.False);
    }

    [Test]
    public async Task CreateLongLivedTokenAsync_SameNameTwice_ClientNameExists()
    {
        using var ctx = new AuthTestContext();
        var owner = await ctx.OnboardAsync();
        await ctx.Manager.CreateLongLivedTokenAsync(owner, "Tasker", 30);

        var ex = Assert.ThrowsAsync<AuthException>(() => ctx.Manager.CreateLongLivedTokenAsync(owner, "Tasker", 30));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.ClientNameExists));
    }

    [TestCase(0)]
    [TestCase(3651)]
    public async Task CreateLongLivedTokenAsync_LifespanOutOfRange_InvalidFormat(int days)
    {
        using var ctx = new AuthTestContext();
        var owner = await ctx.OnboardAsync();

        var ex = Assert.ThrowsAsync<AuthException>(() => ctx.Manager.CreateLongLivedTokenAsync(owner, "Tasker", days));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.InvalidFormat));
    }

    [Test]
    public async Task TryAuthenticate_LongLivedTokenUsedOften_LastUseWrittenAtMostEvery5Minutes()
    {
        using var ctx = new AuthTestContext();
        var owner = await ctx.OnboardAsync();
        var llat = await ctx.Manager.CreateLongLivedTokenAsync(owner, "Tasker", 30);
        var commits = ctx.Store.CommitCount;

        for (var i = 0; i < 600; i++)
        {
            ctx.Time.Advance(TimeSpan.FromSeconds(1));
            Assert.That(ctx.Manager.TryAuthenticate(llat, AuthTestContext.Lan, out _), Is.True);
        }

        await ctx.Manager.FlushLastUsedAsync();
        // 10 minutes of use: a write at 5 min, one at 10 min (or the flush) — never one per request.
        Assert.That(ctx.Store.CommitCount - commits, Is.InRange(1, 3));
        var listed = ctx.Manager.ListRefreshTokens(owner).Single();
        Assert.That(listed.LastUsedIp, Is.EqualTo("192.168.1.20"));
    }

    [Test]
    public async Task DeleteRefreshTokenAsync_OtherUsersTokenByNonAdmin_NotFound()
    {
        using var ctx = new AuthTestContext();
        var owner = await ctx.OnboardAsync();
        var bob = await ctx.CreateUserWithPasswordAsync("Bob", "bob", "bob's password");
        await ctx.Manager.CreateLongLivedTokenAsync(owner, "Tasker", 30);
        var ownerToken = ctx.Manager.ListRefreshTokens(owner).Single();

        var ex = Assert.ThrowsAsync<AuthException>(() => ctx.Manager.DeleteRefreshTokenAsync(bob, ownerToken.Id));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.NotFound));
        Assert.That(ctx.Manager.ListRefreshTokens(owner), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task DeleteAllRefreshTokensAsync_KeepCurrent_DeletesOthersOnly()
    {
        using var ctx = new AuthTestContext();
        var owner = await ctx.OnboardAsync();
        var current = await ctx.LoginForTokensAsync();
        await ctx.LoginForTokensAsync();
        await ctx.Manager.CreateLongLivedTokenAsync(owner, "Tasker", 30);

        var count = await ctx.Manager.DeleteAllRefreshTokensAsync(owner, null, current.RefreshTokenId, deleteCurrent: false);

        Assert.That(count, Is.EqualTo(2));
        Assert.That(ctx.Manager.ListRefreshTokens(owner).Select(t => t.Id), Is.EqualTo(new[] { current.RefreshTokenId }));
    }
}
