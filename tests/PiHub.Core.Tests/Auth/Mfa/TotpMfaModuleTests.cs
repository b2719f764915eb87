using PiHub.Core.Auth;
using PiHub.Core.Auth.Mfa;
using PiHub.Core.Auth.Model;
using static PiHub.Core.Tests.Auth.Mfa.MfaTestSupport;

namespace PiHub.Core.Tests.Auth.Mfa;

public class TotpMfaModuleTests
{
    [Test]
    public async Task BeginSetupAsync_NewUser_SecretAndUriButNotEnabled()
    {
        using var ctx = new AuthTestContext();
        var userId = await ctx.OnboardAsync();

        var setup = await ctx.Manager.Totp.BeginSetupAsync(userId);

        Assert.That(setup.Secret, Does.Match("^[A-Z2-7]{32}$"));
        Assert.That(setup.Uri, Is.EqualTo($"otpauth://totp/PiHub%3Aalice?secret={setup.Secret}&issuer=PiHub"));
        Assert.That(ctx.Manager.Totp.IsEnabledFor(userId), Is.False);
        Assert.That(ctx.Store.Current.Mfa, Is.Empty, "nothing is stored before a code is proven");
    }

    [Test]
    public async Task ConfirmSetupAsync_WrongCode_InvalidCodeAndStillNotEnabled()
    {
        using var ctx = new AuthTestContext();
        var userId = await ctx.OnboardAsync();
        var setup = await ctx.Manager.Totp.BeginSetupAsync(userId);
        var wrong = Code(setup.Secret, ctx.Time.GetUtcNow().AddMinutes(5));

        var ex = Assert.ThrowsAsync<AuthException>(() => ctx.Manager.Totp.ConfirmSetupAsync(userId, wrong, setup.FlowId));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.InvalidCode));
        Assert.That(ctx.Manager.Totp.IsEnabledFor(userId), Is.False);
    }

    [Test]
    public async Task ConfirmSetupAsync_RightCode_EnabledWithTenHashedRecoveryCodes()
    {
        using var ctx = new AuthTestContext();
        var userId = await ctx.OnboardAsync();
        var setup = await ctx.Manager.Totp.BeginSetupAsync(userId);

        var codes = await ctx.Manager.Totp.ConfirmSetupAsync(userId, Code(setup.Secret, ctx.Time.GetUtcNow()), setup.FlowId);

        var stored = ctx.Store.Current.Mfa[MfaEnrollment.IdFor(userId)];
        Assert.That(ctx.Manager.Totp.IsEnabledFor(userId), Is.True);
        Assert.That(codes, Has.Count.EqualTo(10).And.All.Match("^[A-Z2-7]{5}-[A-Z2-7]{5}$"));
        Assert.That(codes.Distinct().Count(), Is.EqualTo(10));
        Assert.That(stored.RecoveryCodeHashes, Has.Count.EqualTo(10));
        Assert.That(stored.RecoveryCodeHashes, Has.None.AnyOf(codes.Cast<object>().ToArray()), "only hashes are stored");
    }

    [Test]
    public async Task ConfirmSetupAsync_OtherFlowId_NotFound()
    {
        using var ctx = new AuthTestContext();
        var userId = await ctx.OnboardAsync();
        var setup = await ctx.Manager.Totp.BeginSetupAsync(userId);

        var ex = Assert.ThrowsAsync<AuthException>(() =>
            ctx.Manager.Totp.ConfirmSetupAsync(userId, Code(setup.Secret, ctx.Time.GetUtcNow()), "not-the-flow"));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.NotFound));
    }

    [Test]
    public async Task ConfirmSetupAsync_FiveWrongCodes_SetupDropped()
    {
        using var ctx = new AuthTestContext();
        var userId = await ctx.OnboardAsync();
        var setup = await ctx.Manager.Totp.BeginSetupAsync(userId);

        AuthException? last = null;
        for (var i = 0; i < MfaModule.MaxTries; i++)
        {
            last = Assert.ThrowsAsync<AuthException>(() => ctx.Manager.Totp.ConfirmSetupAsync(userId, "000000", setup.FlowId));
        }

        var after = Assert.ThrowsAsync<AuthException>(() =>
            ctx.Manager.Totp.ConfirmSetupAsync(userId, Code(setup.Secret, ctx.Time.GetUtcNow()), setup.FlowId));
        Assert.That(last!.Code, Is.EqualTo(AuthErrorCodes.TooManyRetry));
        Assert.That(last.Message, Does.Contain("start again"));
        Assert.That(after!.Code, Is.EqualTo(AuthErrorCodes.NotFound));
    }

    [Test]
    public async Task BeginSetupAsync_AlreadyEnabled_MfaAlreadyEnabled()
    {
        using var ctx = new AuthTestContext();
        var (userId, _, _) = await EnrolOwnerAsync(ctx);

        var ex = Assert.ThrowsAsync<AuthException>(() => ctx.Manager.Totp.BeginSetupAsync(userId));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.MfaAlreadyEnabled));
        Assert.That(ex.Message, Does.Contain("auth/depose_mfa"));
    }

    [Test]
    public async Task DisableAsync_PasswordAndCode_Disabled()
    {
        using var ctx = new AuthTestContext();
        var (userId, secret, _) = await EnrolOwnerAsync(ctx);

        await ctx.Manager.Totp.DisableAsync(userId, AuthTestContext.OwnerPassword, Code(secret, ctx.Time.GetUtcNow()));

        Assert.That(ctx.Manager.Totp.IsEnabledFor(userId), Is.False);
        Assert.That(ctx.Store.Current.Mfa, Is.Empty);
    }

    [Test]
    public async Task DisableAsync_WrongPassword_InvalidAuthAndStillEnabled()
    {
        using var ctx = new AuthTestContext();
        var (userId, secret, _) = await EnrolOwnerAsync(ctx);

        var ex = Assert.ThrowsAsync<AuthException>(() =>
            ctx.Manager.Totp.DisableAsync(userId, "not my password", Code(secret, ctx.Time.GetUtcNow())));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.InvalidAuth));
        Assert.That(ctx.Manager.Totp.IsEnabledFor(userId), Is.True);
    }

    [Test]
    public async Task DisableAsync_PasswordWithoutValidCode_InvalidCodeAndStillEnabled()
    {
        using var ctx = new AuthTestContext();
        var (userId, _, _) = await EnrolOwnerAsync(ctx);

        var ex = Assert.ThrowsAsync<AuthException>(() =>
            ctx.Manager.Totp.DisableAsync(userId, AuthTestContext.OwnerPassword, "123456"));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.InvalidCode));
        Assert.That(ctx.Manager.Totp.IsEnabledFor(userId), Is.True);
    }

    [Test]
    public async Task DisableAsync_RecoveryCode_DisabledWithoutApp()
    {
        using var ctx = new AuthTestContext();
        var (userId, _, recovery) = await EnrolOwnerAsync(ctx);

        await ctx.Manager.Totp.DisableAsync(userId, AuthTestContext.OwnerPassword, recovery[3].ToLowerInvariant());

        Assert.That(ctx.Manager.Totp.IsEnabledFor(userId), Is.False);
    }

    [Test]
    public async Task RegenerateRecoveryCodesAsync_PasswordAndCode_OldCodesStopWorking()
    {
        using var ctx = new AuthTestContext();
        var (userId, secret, oldCodes) = await EnrolOwnerAsync(ctx);

        var newCodes = await ctx.Manager.Totp.RegenerateRecoveryCodesAsync(userId, AuthTestContext.OwnerPassword,
            Code(secret, ctx.Time.GetUtcNow()));
        var oldRefused = Assert.ThrowsAsync<AuthException>(() =>
            ctx.Manager.Totp.DisableAsync(userId, AuthTestContext.OwnerPassword, oldCodes[0]));
        await ctx.Manager.Totp.DisableAsync(userId, AuthTestContext.OwnerPassword, newCodes[0]);

        Assert.That(newCodes, Has.Count.EqualTo(10));
        Assert.That(newCodes, Has.None.AnyOf(oldCodes.Cast<object>().ToArray()));
        Assert.That(oldRefused!.Code, Is.EqualTo(AuthErrorCodes.InvalidCode));
        Assert.That(ctx.Manager.Totp.IsEnabledFor(userId), Is.False);
    }

    [Test]
    public async Task DisableAsync_FiveWrongCodes_PausedEvenWithRightCodeUntilCooldown()
    {
        using var ctx = new AuthTestContext();
        var (userId, secret, _) = await EnrolOwnerAsync(ctx);
        for (var i = 0; i < MfaModule.MaxTries; i++)
        {
            Assert.ThrowsAsync<AuthException>(() => ctx.Manager.Totp.DisableAsync(userId, AuthTestContext.OwnerPassword, "000000"));
        }

        var paused = Assert.ThrowsAsync<AuthException>(() =>
            ctx.Manager.Totp.DisableAsync(userId, AuthTestContext.OwnerPassword, Code(secret, ctx.Time.GetUtcNow())));
        ctx.Time.Advance(TimeSpan.FromMinutes(5));
        await ctx.Manager.Totp.DisableAsync(userId, AuthTestContext.OwnerPassword, Code(secret, ctx.Time.GetUtcNow()));

        Assert.That(paused!.Code, Is.EqualTo(AuthErrorCodes.TooManyRetry));
        Assert.That(paused.Message, Does.Contain("Try again"));
        Assert.That(ctx.Manager.Totp.IsEnabledFor(userId), Is.False);
    }
}
