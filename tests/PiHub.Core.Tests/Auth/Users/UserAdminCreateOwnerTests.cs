using PiHub.Core.Auth;
using PiHub.Core.Auth.Model;
using PiHub.Core.Auth.Storage;

namespace PiHub.Core.Tests.Auth.Users;

public class UserAdminCreateOwnerTests
{
    [Test]
    public async Task CreateOwnerAsync_FreshStore_CommitsOwnerCredentialAndOnboardingInOneSet()
    {
        using var ctx = new AuthTestContext();

        var code = await ctx.Manager.Users.CreateOwnerAsync(AuthTestContext.ClientId, "Alice", "  Alice ", "correct horse battery", "en");

        Assert.That(code, Is.Not.Empty);
        Assert.That(ctx.Store.CommitCount, Is.EqualTo(1));
        var data = ctx.Store.Current;
        Assert.That(data.Owner!.Name, Is.EqualTo("Alice"));
        Assert.That(data.Owner.IsAdmin, Is.True);
        Assert.That(data.Onboarding.UserDone, Is.True);
        Assert.That(data.Credentials.Values.Single().Username, Is.EqualTo("alice"));
        Assert.That(data.Credentials.Values.Single().PasswordHash, Does.StartWith("pbkdf2-sha256$"));
    }

    [Test]
    public async Task CreateOwnerAsync_OwnerExists_RefusedWithUserExists()
    {
        using var ctx = new AuthTestContext();
        await ctx.OnboardAsync();

        var ex = Assert.ThrowsAsync<AuthException>(() =>
            ctx.Manager.Users.CreateOwnerAsync(AuthTestContext.ClientId, "Mallory", "mallory", "another password", "en"));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.UserExists));
        Assert.That(ex.Message, Does.Contain("Log in"));
        Assert.That(ctx.Store.Current.Users, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task CreateOwnerAsync_TwoConcurrentRequests_ExactlyOneOwner()
    {
        using var ctx = new AuthTestContext();

        var a = ctx.Manager.Users.CreateOwnerAsync(AuthTestContext.ClientId, "A", "a-user", "password one", "en");
        var b = ctx.Manager.Users.CreateOwnerAsync(AuthTestContext.ClientId, "B", "b-user", "password two", "en");
        var results = await Task.WhenAll(Settle(a), Settle(b));

        Assert.That(results.Count(r => r is null), Is.EqualTo(1));
        Assert.That(results.Single(r => r is not null)!.Code, Is.EqualTo(AuthErrorCodes.UserExists));
        Assert.That(ctx.Store.Current.Users, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task CreateOwnerAsync_StoreWriteFails_NothingChangesAndRetryWorks()
    {
        using var ctx = new AuthTestContext();
        ctx.Store.FailNextCommit = true;

        var ex = Assert.ThrowsAsync<AuthException>(() => ctx.OnboardAsync());

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.StoreUnavailable));
        Assert.That(ex.Message, Does.Contain("nothing was changed"));
        Assert.That(ctx.Store.Current.Users, Is.Empty);
        Assert.That(ctx.Manager.IsOnboarded, Is.False);
        await ctx.OnboardAsync();
        Assert.That(ctx.Manager.IsOnboarded, Is.True);
    }

    [Test]
    public void CreateOwnerAsync_StoreReadOnly_RefusedWithReason()
    {
        using var ctx = new AuthTestContext();
        ctx.Store.EnterReadOnly("power failing");

        var ex = Assert.ThrowsAsync<AuthException>(() => ctx.OnboardAsync());

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.StoreUnavailable));
        Assert.That(ex.Message, Does.Contain("read-only").And.Contain("power failing"));
    }

    [TestCase("short")]
    [TestCase("")]
    public void CreateOwnerAsync_PasswordTooShort_InvalidFormat(string password)
    {
        using var ctx = new AuthTestContext();

        var ex = Assert.ThrowsAsync<AuthException>(() =>
            ctx.Manager.Users.CreateOwnerAsync(AuthTestContext.ClientId, "Alice", "alice", password, "en"));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.InvalidFormat));
        Assert.That(ex.Message, Does.Contain("at least 8"));
    }

    [Test]
    public void CreateOwnerAsync_PasswordOver1024Bytes_InvalidFormat()
    {
        using var ctx = new AuthTestContext();

        var ex = Assert.ThrowsAsync<AuthException>(() =>
            ctx.Manager.Users.CreateOwnerAsync(AuthTestContext.ClientId, "Alice", "alice", new string('é', 513), "en"));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.InvalidFormat));
    }

    [TestCase("not a url")]
    [TestCase("ftp://host/")]
    [TestCase("http://user:pw@host/")]
    [TestCase("http://host/#frag")]
    public void CreateOwnerAsync_BadClientId_InvalidRequest(string clientId)
    {
        using var ctx = new AuthTestContext();

        var ex = Assert.ThrowsAsync<AuthException>(() =>
            ctx.Manager.Users.CreateOwnerAsync(clientId, "Alice", "alice", "correct horse battery", "en"));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.InvalidRequest));
    }

    [Test]
    public async Task CreateOwnerAsync_RecoveryModeWithoutCode_AccessDenied()
    {
        using var ctx = new AuthTestContext();
        await ctx.Store.CommitAsync(new AuthChangeSet("recovery").Put(OnboardingState.Fresh with
        {
            RecoveryMode = true,
            RecoveryCodeHash = Sha256Hex("RECOVER-1234"),
        }));

        var missing = Assert.ThrowsAsync<AuthException>(() => ctx.OnboardAsync());
        var wrong = Assert.ThrowsAsync<AuthException>(() =>
            ctx.Manager.Users.CreateOwnerAsync(AuthTestContext.ClientId, "A", "alice", "correct horse battery", "en", "WRONG"));

        Assert.That(missing!.Code, Is.EqualTo(AuthErrorCodes.AccessDenied));
        Assert.That(missing.Message, Does.Contain("recovery"));
        Assert.That(wrong!.Code, Is.EqualTo(AuthErrorCodes.AccessDenied));
    }

    [Test]
    public async Task CreateOwnerAsync_RecoveryModeWithCode_CreatesOwnerAndClearsRecoveryInSameCommit()
    {
        using var ctx = new AuthTestContext();
        await ctx.Store.CommitAsync(new AuthChangeSet("recovery").Put(OnboardingState.Fresh with
        {
            RecoveryMode = true,
            RecoveryCodeHash = Sha256Hex("RECOVER-1234"),
        }));

        await ctx.Manager.Users.CreateOwnerAsync(AuthTestContext.ClientId, "A", "alice", "correct horse battery", "en", " RECOVER-1234 ");

        var onboarding = ctx.Store.Current.Onboarding;
        Assert.That(onboarding.UserDone, Is.True);
        Assert.That(onboarding.RecoveryMode, Is.False);
        Assert.That(onboarding.RecoveryCodeHash, Is.Null);
        Assert.That(ctx.Store.CommitCount, Is.EqualTo(2));
    }

    private static string Sha256Hex(string text) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));

    private static async Task<AuthException?> Settle(Task task)
    {
        try
        {
            await task;
            return null;
        }
        catch (AuthException ex)
        {
            return ex;
        }
    }
}
