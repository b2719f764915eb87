using PiHub.Core.Auth;
using PiHub.Core.Auth.Mfa;
using static PiHub.Core.Tests.Auth.Mfa.MfaTestSupport;

namespace PiHub.Core.Tests.Auth.Mfa;

/// <summary>
/// A Pi has no clock of its own: until network time answers, a right code can be refused. While the clock is not
/// synchronised, a refusal says so and gives the hub's time, not only "wrong code".
/// </summary>
public class TotpClockTests
{
    private sealed class FakeClockStatus(bool synchronized) : IClockStatus
    {
        public bool IsSynchronized { get; } = synchronized;
    }

    [Test]
    public async Task ConfirmSetupAsync_WrongCodeClockNotSynchronised_SaysClockMayBeWrongWithTheHubsTime()
    {
        using var ctx = new AuthTestContext();
        var userId = await ctx.OnboardAsync();
        ctx.Manager.Totp.Clock = new FakeClockStatus(false);
        var setup = await ctx.Manager.Totp.BeginSetupAsync(userId);
        var hubTime = ctx.Time.GetUtcNow();

        var ex = Assert.ThrowsAsync<AuthException>(() => ctx.Manager.Totp.ConfirmSetupAsync(userId, "000000", setup.FlowId));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.InvalidCode));
        Assert.That(ex.Message, Does.Contain("The hub's clock may be wrong")
            .And.Contain($"reads {hubTime:yyyy-MM-dd HH:mm:ss} UTC").And.Contain("System clock synchronized: yes"));
    }

    [Test]
    public async Task ConfirmSetupAsync_WrongCodeClockSynchronised_NoWordAboutTheClock()
    {
        using var ctx = new AuthTestContext();
        var userId = await ctx.OnboardAsync();
        ctx.Manager.Totp.Clock = new FakeClockStatus(true);
        var setup = await ctx.Manager.Totp.BeginSetupAsync(userId);

        var ex = Assert.ThrowsAsync<AuthException>(() => ctx.Manager.Totp.ConfirmSetupAsync(userId, "000000", setup.FlowId));

        Assert.That(ex!.Message, Does.Not.Contain("clock"));
    }

    [Test]
    public async Task LoginMfaStep_WrongCodeClockNotSynchronised_FormMessageGivesTheHubsTime()
    {
        using var ctx = new AuthTestContext();
        await EnrolOwnerAsync(ctx);
        var flow = await PasswordStepAsync(ctx);
        ctx.Manager.Totp.Clock = new FakeClockStatus(false);

        var result = await CodeStepAsync(ctx, flow.FlowId, "000000");
        ctx.Manager.Totp.Clock = new FakeClockStatus(true);
        var synced = await CodeStepAsync(ctx, flow.FlowId, "000000");

        Assert.That(result.Errors["base"], Is.EqualTo(AuthErrorCodes.InvalidCode));
        Assert.That(result.Message, Does.StartWith("The hub's clock may be wrong").And.Contain($"reads {ctx.Time.GetUtcNow():yyyy-MM-dd HH:mm:ss} UTC"));
        Assert.That(synced.Message, Is.Null);
    }

    [Test]
    public void TimesyncClockStatus_FolderWithoutAndWithSynchronized_FalseThenTrue()
    {
        var run = Directory.CreateTempSubdirectory("pihub-timesync-").FullName;
        try
        {
            var status = new TimesyncClockStatus(run);
            var before = status.IsSynchronized;
            File.WriteAllText(Path.Combine(run, "synchronized"), "");

            Assert.That(before, Is.False, "timesyncd runs and has not synchronised yet");
            Assert.That(status.IsSynchronized, Is.True);
            Assert.That(new TimesyncClockStatus(Path.Combine(run, "absent")).IsSynchronized, Is.True, "no timesyncd: nothing is known");
        }
        finally
        {
            Directory.Delete(run, recursive: true);
        }
    }
}
