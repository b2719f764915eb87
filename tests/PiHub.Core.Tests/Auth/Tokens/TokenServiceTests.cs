using PiHub.Core.Auth;
using PiHub.Core.Auth.Model;

namespace PiHub.Core.Tests.Auth.Tokens;

public class TokenServiceTests
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
        Assert.That(ctx.Manager.AccessTokens.TryAuthenticate(grant.AccessToken, out var principal), Is.True);
        Assert.That(principal!.User.IsOwner, Is.True);
    }

    [Test]
    public async Task ExchangeAuthCodeAsync_CodeUsedTwice_SecondIsInvalidGrant()
    {
        using var ctx = new AuthTestContext();
        await ctx.OnboardAsync();
        var login = await ctx.LoginAsync("alice", AuthTestContext.OwnerPassword);
        await ctx.Manager.Tokens.ExchangeAuthCodeAsync(AuthTestContext.ClientId, login.Result, AuthTestContext.Lan);

        var ex = Assert.ThrowsAsync<AuthException>(() =>
            ctx.Manager.Tokens.ExchangeAuthCodeAsync(AuthTestContext.ClientId, login.Result, AuthTestContext.Lan));

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
            ctx.Manager.Tokens.ExchangeAuthCodeAsync(AuthTestContext.ClientId, login.Result, AuthTestContext.Lan));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.InvalidGrant));
    }

    [Test]
    public async Task ExchangeAuthCodeAsync_Within10Minutes_Works()
    {
        using var ctx = new AuthTestContext();
        await ctx.OnboardAsync();
        var login = await ctx.LoginAsync("alice", AuthTestContext.OwnerPassword);
        ctx.Time.Advance(TimeSpan.FromMinutes(9));

        var grant = await ctx.Manager.Tokens.ExchangeAuthCodeAsync(AuthTestContext.ClientId, login.Result, AuthTestContext.Lan);

        Assert.That(grant.AccessToken, Is.Not.Empty);
    }

    [Test]
    public async Task ExchangeAuthCodeAsync_OtherClientId_InvalidGrant()
    {
        using var ctx = new AuthTestContext();
        await ctx.OnboardAsync();
        var login = await ctx.LoginAsync("alice", AuthTestContext.OwnerPassword);

        var ex = Assert.ThrowsAsync<AuthException>(() =>
            ctx.Manager.Tokens.ExchangeAuthCodeAsync("http://other.example/", login.Result, AuthTestContext.Lan));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.InvalidGrant));
    }

    [Test]
    public async Task ExchangeAuthCodeAsync_OnboardingCode_GrantsOwnerTokens()
    {
        using var ctx = new AuthTestContext();
        var code = await ctx.Manager.Users.CreateOwnerAsync(AuthTestContext.ClientId, "Alice", "alice", "correct horse battery", "en");

        var grant = await ctx.Manager.Tokens.ExchangeAuthCodeAsync(AuthTestContext.ClientId, code, AuthTestContext.Lan);

        Assert.That(ctx.Store.Current.RefreshTokens[grant.RefreshTokenId].UserId, Is.EqualTo(ctx.OwnerId));
    }

    [Test]
    public async Task RefreshAccessTokenAsync_MatchingClient_NewAccessTokenWithoutRefreshToken()
    {
        using var ctx = new AuthTestContext();
        await ctx.OnboardAsync();
        var grant = await ctx.LoginForTokensAsync();

        var refreshed = await ctx.Manager.Tokens.RefreshAccessTokenAsync(AuthTestContext.ClientId, grant.RefreshToken, AuthTestContext.Lan);

        Assert.That(refreshed.RefreshToken, Is.Null);
        Assert.That(refreshed.ExpiresIn, Is.EqualTo(1800));
        Assert.That(ctx.Manager.AccessTokens.TryAuthenticate(refreshed.AccessToken, out _), Is.True);
    }

    [Test]
    public async Task RefreshAccessTokenAsync_OtherClientId_InvalidRequest()
    {
        using var ctx = new AuthTestContext();
        await ctx.OnboardAsync();
        var grant = await ctx.LoginForTokensAsync();

        var ex = Assert.ThrowsAsync<AuthException>(() =>
            ctx.Manager.Tokens.RefreshAccessTokenAsync("http://other.example/", grant.RefreshToken, AuthTestContext.Lan));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.InvalidRequest));
        Assert.That(ex.Message, Does.Contain("client_id"));
    }

    [Test]
    public async Task RevokeAsync_Token_RefreshAndAccessRefusedAndEventRaised()
    {
        using var ctx = new AuthTestContext();
        await ctx.OnboardAsync();
        var grant = await ctx.LoginForTokensAsync();
        Assert.That(ctx.Manager.AccessTokens.TryAuthenticate(grant.AccessToken, out _), Is.True, "cached before revocation");
        var revoked = new List<string>();
        ctx.Manager.RefreshTokenRevoked += (id, _) => revoked.Add(id);

        var deleted = await ctx.Manager.Tokens.RevokeAsync(grant.RefreshToken);

        Assert.That(deleted, Is.True);
        Assert.That(revoked, Is.EqualTo(new[] { grant.RefreshTokenId }));
        Assert.That(ctx.Manager.AccessTokens.TryAuthenticate(grant.AccessToken, out _), Is.False);
        var ex = Assert.ThrowsAsync<AuthException>(() =>
            ctx.Manager.Tokens.RefreshAccessTokenAsync(AuthTestContext.ClientId, grant.RefreshToken, AuthTestContext.Lan));
        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.InvalidGrant));
    }

    [Test]
    public async Task RevokeAsync_UnknownToken_ReturnsFalseWithoutWriting()
    {
        using var ctx = new AuthTestContext();
        await ctx.OnboardAsync();
        var commits = ctx.Store.CommitCount;

        Assert.That(await ctx.Manager.Tokens.RevokeAsync("no-such-token"), Is.False);
        Assert.That(await ctx.Manager.Tokens.RevokeAsync(null), Is.False);
        Assert.That(ctx.Store.CommitCount, Is.EqualTo(commits));
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
            await ctx.Manager.Tokens.RefreshAccessTokenAsync(AuthTestContext.ClientId, grant.RefreshToken, AuthTestContext.Lan);
        }

        // 250 s of use: under the 5-minute interval, so nothing was written yet.
        Assert.That(ctx.Store.CommitCount, Is.EqualTo(commits));
        Assert.That(ctx.Manager.Tokens.ListRefreshTokens(ctx.OwnerId).Single().LastUsedAt, Is.EqualTo(ctx.Time.GetUtcNow()));
        ctx.Time.Advance(TimeSpan.FromMinutes(1));
        await ctx.Manager.Tokens.RefreshAccessTokenAsync(AuthTestContext.ClientId, grant.RefreshToken, AuthTestContext.Lan);
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
            ctx.Manager.Tokens.RefreshAccessTokenAsync(AuthTestContext.ClientId, grant.RefreshToken, AuthTestContext.Lan));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.InvalidGrant));
    }

    [Test]
    public async Task CreateLongLivedTokenAsync_ValidRequest_TokenLivesForLifespan()
    {
        using var ctx = new AuthTestContext();
        var owner = await ctx.OnboardAsync();

        var llat = await ctx.Manager.Tokens.CreateLongLivedTokenAsync(owner, "Tasker", 365);

        Assert.That(ctx.Manager.AccessTokens.TryAuthenticate(llat, out var principal), Is.True);
        Assert.That(principal!.RefreshToken.TokenType, Is.EqualTo(RefreshTokenTypes.LongLived));
        Assert.That(principal.RefreshToken.ClientName, Is.EqualTo("Tasker"));
        Assert.That(principal.ExpiresAt, Is.EqualTo(ctx.Time.GetUtcNow().AddDays(365)));
        ctx.Time.Advance(TimeSpan.FromDays(364));
        Assert.That(ctx.Manager.AccessTokens.TryAuthenticate(llat, out _), Is.True);
        ctx.Time.Advance(TimeSpan.FromDays(1));
        Assert.That(ctx.Manager.AccessTokens.TryAuthenticate(llat, out _), Is.False);
    }

    [Test]
    public async Task CreateLongLivedTokenAsync_SameNameTwice_ClientNameExists()
    {
        using var ctx = new AuthTestContext();
        var owner = await ctx.OnboardAsync();
        await ctx.Manager.Tokens.CreateLongLivedTokenAsync(owner, "Tasker", 30);

        var ex = Assert.ThrowsAsync<AuthException>(() => ctx.Manager.Tokens.CreateLongLivedTokenAsync(owner, "Tasker", 30));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.ClientNameExists));
    }

    [TestCase(0)]
    [TestCase(3651)]
    public async Task CreateLongLivedTokenAsync_LifespanOutOfRange_InvalidFormat(int days)
    {
        using var ctx = new AuthTestContext();
        var owner = await ctx.OnboardAsync();

        var ex = Assert.ThrowsAsync<AuthException>(() => ctx.Manager.Tokens.CreateLongLivedTokenAsync(owner, "Tasker", days));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.InvalidFormat));
    }

    [Test]
    public async Task DeleteRefreshTokenAsync_OtherUsersTokenByNonAdmin_NotFound()
    {
        using var ctx = new AuthTestContext();
        var owner = await ctx.OnboardAsync();
        var bob = await ctx.CreateUserWithPasswordAsync("Bob", "bob", "bob's password");
        await ctx.Manager.Tokens.CreateLongLivedTokenAsync(owner, "Tasker", 30);
        var ownerToken = ctx.Manager.Tokens.ListRefreshTokens(owner).Single();

        var ex = Assert.ThrowsAsync<AuthException>(() => ctx.Manager.Tokens.DeleteRefreshTokenAsync(bob, ownerToken.Id));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.NotFound));
        Assert.That(ctx.Manager.Tokens.ListRefreshTokens(owner), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task DeleteAllRefreshTokensAsync_KeepCurrent_DeletesOthersOnly()
    {
        using var ctx = new AuthTestContext();
        var owner = await ctx.OnboardAsync();
        var current = await ctx.LoginForTokensAsync();
        await ctx.LoginForTokensAsync();
        await ctx.Manager.Tokens.CreateLongLivedTokenAsync(owner, "Tasker", 30);

        var count = await ctx.Manager.Tokens.DeleteAllRefreshTokensAsync(owner, null, current.RefreshTokenId, deleteCurrent: false);

        Assert.That(count, Is.EqualTo(2));
        Assert.That(ctx.Manager.Tokens.ListRefreshTokens(owner).Select(t => t.Id), Is.EqualTo(new[] { current.RefreshTokenId }));
    }
}
