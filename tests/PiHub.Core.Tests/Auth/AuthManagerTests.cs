using PiHub.Core.Auth;
using PiHub.Core.Auth.Model;
using static PiHub.Core.Tests.Auth.Mfa.MfaTestSupport;

namespace PiHub.Core.Tests.Auth;

/// <summary>What the coordinator keeps for itself: queries that need onboarding, and the MFA reset across modules.</summary>
public class AuthManagerTests
{
    [Test]
    public void GetProviders_BeforeOnboarding_OnboardingRequired()
    {
        using var ctx = new AuthTestContext();

        var ex = Assert.Throws<AuthException>(() => ctx.Manager.GetProviders(AuthTestContext.Lan));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.OnboardingRequired));
    }

    [Test]
    public async Task ResetMfaAsync_AdminResetsOtherUser_RemovedAndUsersUntouched()
    {
        using var ctx = new AuthTestContext();
        await ctx.OnboardAsync();
        var bobId = await ctx.CreateUserWithPasswordAsync("Bob", "bob", "bob's password");
        var setup = await ctx.Manager.Totp.BeginSetupAsync(bobId);
        await ctx.Manager.Totp.ConfirmSetupAsync(bobId, Code(setup.Secret, ctx.Time.GetUtcNow()));
        var users = ctx.Store.Current.Users;

        var removed = await ctx.Manager.ResetMfaAsync(ctx.OwnerId, bobId);

        Assert.That(removed, Is.True);
        Assert.That(ctx.Manager.Totp.IsEnabledFor(bobId), Is.False);
        Assert.That(ctx.Store.Current.Users, Is.EqualTo(users));
        Assert.That(ctx.Store.Current.Owner!.Id, Is.EqualTo(ctx.OwnerId));
    }

    [Test]
    public async Task ResetMfaAsync_NotAdmin_Unauthorized()
    {
        using var ctx = new AuthTestContext();
        var (ownerId, _, _) = await EnrolOwnerAsync(ctx);
        var bobId = await ctx.CreateUserWithPasswordAsync("Bob", "bob", "bob's password");

        var ex = Assert.ThrowsAsync<AuthException>(() => ctx.Manager.ResetMfaAsync(bobId, ownerId));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.Unauthorized));
        Assert.That(ctx.Manager.Totp.IsEnabledFor(ownerId), Is.True);
    }

    [Test]
    public async Task ResetMfaAsync_AdminResetsOwner_OwnerOnly()
    {
        using var ctx = new AuthTestContext();
        var (ownerId, _, _) = await EnrolOwnerAsync(ctx);
        var adminId = await ctx.CreateUserWithPasswordAsync("Carol", "carol", "carol's password", [Groups.Admin]);

        var ex = Assert.ThrowsAsync<AuthException>(() => ctx.Manager.ResetMfaAsync(adminId, ownerId));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.OwnerOnly));
        Assert.That(ctx.Manager.Totp.IsEnabledFor(ownerId), Is.True);
    }

    [Test]
    public async Task ResetMfaAsync_OwnOwnerEnrolment_RefusedPointsToDepose()
    {
        using var ctx = new AuthTestContext();
        var (ownerId, _, _) = await EnrolOwnerAsync(ctx);

        var ex = Assert.ThrowsAsync<AuthException>(() => ctx.Manager.ResetMfaAsync(ownerId, ownerId));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.Unauthorized));
        Assert.That(ex.Message, Does.Contain("auth/depose_mfa"));
        Assert.That(ctx.Manager.Totp.IsEnabledFor(ownerId), Is.True);
    }

    [Test]
    public async Task ResetMfaAsync_OnlySetupInProgress_FalseNoWriteAndSetupCancelled()
    {
        using var ctx = new AuthTestContext();
        await ctx.OnboardAsync();
        var bobId = await ctx.CreateUserWithPasswordAsync("Bob", "bob", "bob's password");
        var setup = await ctx.Manager.Totp.BeginSetupAsync(bobId);
        var commits = ctx.Store.CommitCount;

        var removed = await ctx.Manager.ResetMfaAsync(ctx.OwnerId, bobId);

        Assert.That(removed, Is.False);
        Assert.That(ctx.Store.CommitCount, Is.EqualTo(commits));
        Assert.That(ctx.Manager.Totp.TryGetSetup(bobId, out _), Is.False, "a reset also drops the unfinished set-up");
        var ex = Assert.ThrowsAsync<AuthException>(() =>
            ctx.Manager.Totp.ConfirmSetupAsync(bobId, Code(setup.Secret, ctx.Time.GetUtcNow()), setup.FlowId));
        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.NotFound));
    }
}
