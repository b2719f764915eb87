using PiHub.Core.Auth;
using PiHub.Core.Auth.Mfa;
using PiHub.Core.Auth.Flows;
using PiHub.Core.Auth.Providers;
using PiHub.Core.Auth.Storage;
using static PiHub.Core.Tests.Auth.Mfa.MfaTestSupport;

namespace PiHub.Core.Tests.Auth.Flows;

public class LoginFlowManagerMfaStepTests
{
    [Test]
    public async Task ContinueAsync_PasswordOfEnrolledUser_MfaFormHaShape()
    {
        using var ctx = new AuthTestContext();
        await EnrolOwnerAsync(ctx);

        var step = await PasswordStepAsync(ctx);

        Assert.That(step.Type, Is.EqualTo(LoginFlowResultTypes.Form));
        Assert.That(step.StepId, Is.EqualTo("mfa"));
        Assert.That(step.DataSchema, Is.EqualTo(new[] { new FormField("code", "string") }));
        Assert.That(step.Errors, Is.Empty);
        Assert.That(step.Result, Is.Null, "no auth code before the second factor");
    }

    [Test]
    public async Task ContinueAsync_PasswordOfUserWithoutMfa_CreateEntryAtOnce()
    {
        using var ctx = new AuthTestContext();
        var userId = await ctx.OnboardAsync();
        await ctx.Manager.Totp.BeginSetupAsync(userId);

        var step = await PasswordStepAsync(ctx);

        Assert.That(step.Type, Is.EqualTo(LoginFlowResultTypes.CreateEntry), "an unconfirmed set-up asks for nothing");
    }

    [TestCase(-30)]
    [TestCase(0)]
    [TestCase(30)]
    public async Task MfaStep_CodeWithinOneStep_CreateEntry(int offsetSeconds)
    {
        using var ctx = new AuthTestContext();
        var (_, secret, _) = await EnrolOwnerAsync(ctx);
        ctx.Time.Advance(TimeSpan.FromSeconds(60));
        var form = await PasswordStepAsync(ctx);

        var result = await CodeStepAsync(ctx, form.FlowId, Code(secret, ctx.Time.GetUtcNow().AddSeconds(offsetSeconds)));

        Assert.That(result.Type, Is.EqualTo(LoginFlowResultTypes.CreateEntry));
        Assert.That(result.Result, Is.Not.Empty);
    }

    [TestCase(-60)]
    [TestCase(60)]
    public async Task MfaStep_CodeTwoStepsAway_InvalidCode(int offsetSeconds)
    {
        using var ctx = new AuthTestContext();
        var (_, secret, _) = await EnrolOwnerAsync(ctx);
        ctx.Time.Advance(TimeSpan.FromSeconds(120));
        var form = await PasswordStepAsync(ctx);

        var result = await CodeStepAsync(ctx, form.FlowId, Code(secret, ctx.Time.GetUtcNow().AddSeconds(offsetSeconds)));

        Assert.That(result.Type, Is.EqualTo(LoginFlowResultTypes.Form));
        Assert.That(result.Errors["base"], Is.EqualTo("invalid_code"));
    }

    [Test]
    public async Task MfaStep_SameCodeTwice_SecondRefusedAsReplay()
    {
        using var ctx = new AuthTestContext();
        var (_, secret, _) = await EnrolOwnerAsync(ctx);
        var code = Code(secret, ctx.Time.GetUtcNow());
        var first = await CodeStepAsync(ctx, (await PasswordStepAsync(ctx)).FlowId, code);

        var second = await CodeStepAsync(ctx, (await PasswordStepAsync(ctx)).FlowId, code);

        Assert.That(first.Type, Is.EqualTo(LoginFlowResultTypes.CreateEntry));
        Assert.That(second.Type, Is.EqualTo(LoginFlowResultTypes.Form));
        Assert.That(second.Errors["base"], Is.EqualTo("invalid_code"));
    }

    [Test]
    public async Task MfaStep_OlderStepAfterNewerUsed_Refused()
    {
        using var ctx = new AuthTestContext();
        var (_, secret, _) = await EnrolOwnerAsync(ctx);
        var now = ctx.Time.GetUtcNow();
        await CodeStepAsync(ctx, (await PasswordStepAsync(ctx)).FlowId, Code(secret, now.AddSeconds(30)));

        var older = await CodeStepAsync(ctx, (await PasswordStepAsync(ctx)).FlowId, Code(secret, now));

        Assert.That(older.Errors["base"], Is.EqualTo("invalid_code"), "a step at or before the last used one is refused");
    }

    [Test]
    public async Task MfaStep_RecoveryCode_WorksOnceOnly()
    {
        using var ctx = new AuthTestContext();
        var (_, _, recovery) = await EnrolOwnerAsync(ctx);

        var first = await CodeStepAsync(ctx, (await PasswordStepAsync(ctx)).FlowId, recovery[0]);
        var again = await CodeStepAsync(ctx, (await PasswordStepAsync(ctx)).FlowId, recovery[0]);
        var other = await CodeStepAsync(ctx, (await PasswordStepAsync(ctx)).FlowId, recovery[1].Replace("-", " "));

        Assert.That(first.Type, Is.EqualTo(LoginFlowResultTypes.CreateEntry));
        Assert.That(again.Errors["base"], Is.EqualTo("invalid_code"));
        Assert.That(other.Type, Is.EqualTo(LoginFlowResultTypes.CreateEntry));
        Assert.That(ctx.Store.Current.Mfa.Values.Single().RecoveryCodeHashes, Has.Count.EqualTo(8));
    }

    [Test]
    public async Task MfaStep_WrongCode_CountsAsLoginFailure()
    {
        using var ctx = new AuthTestContext();
        await EnrolOwnerAsync(ctx);
        var failures = new List<LoginFailure>();
        ctx.Manager.LoginFailed += failures.Add;
        var form = await PasswordStepAsync(ctx);

        await CodeStepAsync(ctx, form.FlowId, "000000");

        Assert.That(failures, Has.Count.EqualTo(1));
        Assert.That(failures[0].Reason, Is.EqualTo("invalid_code"));
        Assert.That(failures[0].Username, Is.EqualTo("alice"));
        Assert.That(failures[0].ClientAddress, Is.EqualTo(AuthTestContext.Lan));
    }

    [Test]
    public async Task MfaStep_FiveWrongCodes_AbortTooManyRetryAndFlowGone()
    {
        using var ctx = new AuthTestContext();
        var (_, secret, _) = await EnrolOwnerAsync(ctx);
        var form = await PasswordStepAsync(ctx);

        var answers = new List<LoginFlowResult>();
        for (var i = 0; i < MfaModule.MaxTries; i++) answers.Add(await CodeStepAsync(ctx, form.FlowId, "000000"));
        var afterAbort = Assert.ThrowsAsync<AuthException>(() =>
            CodeStepAsync(ctx, form.FlowId, Code(secret, ctx.Time.GetUtcNow())));

        Assert.That(answers.Take(4).Select(a => a.Errors["base"]), Is.All.EqualTo("invalid_code"));
        Assert.That(answers[4].Type, Is.EqualTo(LoginFlowResultTypes.Abort));
        Assert.That(answers[4].Reason, Is.EqualTo("too_many_retry"));
        Assert.That(answers[4].Message, Does.Contain("Start a new login"));
        Assert.That(afterAbort!.Code, Is.EqualTo(AuthErrorCodes.NotFound));
    }

    [Test]
    public async Task MfaStep_SkipMfaSetByProvider_CreateEntryWithoutCode()
    {
        using var ctx = new AuthTestContext();
        await EnrolOwnerAsync(ctx);
        using var manager = new AuthManager(ctx.Store, ctx.Hasher, ctx.Codec,
            new AuthProviderRegistry([new SkippingProvider(ctx.Hasher)]), ctx.Time, new AuthOptions());
        var flow = await manager.Flows.StartAsync(AuthTestContext.ClientId, "homeassistant", null, null, AuthTestContext.Lan);

        var result = await manager.Flows.ContinueAsync(flow.FlowId, AuthTestContext.ClientId,
            new Dictionary<string, string> { ["username"] = "alice", ["password"] = AuthTestContext.OwnerPassword },
            AuthTestContext.Lan);

        Assert.That(result.Type, Is.EqualTo(LoginFlowResultTypes.CreateEntry));
    }

    /// <summary>The local provider, but vouching strongly enough to skip MFA (as a <c>skip_mfa</c> trusted network does).</summary>
    private sealed class SkippingProvider(PasswordHasher hasher) : AuthProvider
    {
        private readonly HomeAssistantAuthProvider _inner = new(hasher);

        public override string Type => _inner.Type;

        public override string Name => _inner.Name;

        public override ValueTask<LoginStepOutcome> StartAsync(LoginFlowContext context, AuthData data, CancellationToken cancellationToken)
        {
            context.SkipMfa = true;
            return _inner.StartAsync(context, data, cancellationToken);
        }

        public override ValueTask<LoginStepOutcome> HandleStepAsync(LoginFlowContext context, string stepId,
            IReadOnlyDictionary<string, string> input, AuthData data, CancellationToken cancellationToken) =>
            _inner.HandleStepAsync(context, stepId, input, data, cancellationToken);
    }
}
