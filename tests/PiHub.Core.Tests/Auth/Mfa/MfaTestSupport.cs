using OtpNet;
using PiHub.Core.Auth;
using PiHub.Core.Auth.Flows;

namespace PiHub.Core.Tests.Auth.Mfa;

/// <summary>Codes computed the way an authenticator app does, and an enrolled owner.</summary>
internal static class MfaTestSupport
{
    public static string Code(string secret, DateTimeOffset time) =>
        new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(time.UtcDateTime);

    /// <summary>Onboards alice and enrols TOTP; the clock is moved one step on so the next code is fresh.</summary>
    public static async Task<(string UserId, string Secret, IReadOnlyList<string> RecoveryCodes)> EnrolOwnerAsync(AuthTestContext ctx)
    {
        var userId = await ctx.OnboardAsync();
        var setup = await ctx.Manager.Totp.BeginSetupAsync(userId);
        var codes = await ctx.Manager.Totp.ConfirmSetupAsync(userId, Code(setup.Secret, ctx.Time.GetUtcNow()), setup.FlowId);
        ctx.Time.Advance(TimeSpan.FromSeconds(30));
        return (userId, setup.Secret, codes);
    }

    /// <summary>Starts a login and passes the password step; returns the flow's answer (the mfa form when enrolled).</summary>
    public static async Task<LoginFlowResult> PasswordStepAsync(AuthTestContext ctx)
    {
        var flow = await ctx.Manager.Flows.StartAsync(AuthTestContext.ClientId, "homeassistant", null, null, AuthTestContext.Lan);
        return await ctx.Manager.Flows.ContinueAsync(flow.FlowId, AuthTestContext.ClientId,
            new Dictionary<string, string> { ["username"] = "alice", ["password"] = AuthTestContext.OwnerPassword },
            AuthTestContext.Lan);
    }

    public static Task<LoginFlowResult> CodeStepAsync(AuthTestContext ctx, string flowId, string code) =>
        ctx.Manager.Flows.ContinueAsync(flowId, AuthTestContext.ClientId,
            new Dictionary<string, string> { ["code"] = code }, AuthTestContext.Lan);
}
