using PiHub.Core.Auth;
using PiHub.Core.Auth.Model;
using PiHub.Core.Auth.Storage;

namespace PiHub.Core.Tests.Auth;

public class AuthManagerUserAdminTests
{
    [Test]
    public async Task DeleteUserAsync_Owner_OwnerProtected()
    {
        using var ctx = new AuthTestContext();
        var owner = await ctx.OnboardAsync();
        var admin = await ctx.CreateUserWithPasswordAsync("Admin", "admin", "admin password", [Groups.Admin]);

        var ex = Assert.ThrowsAsync<AuthException>(() => ctx.Manager.DeleteUserAsync(admin, owner));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.OwnerProtected));
        Assert.That(ex.Message, Does.Contain("Transfer ownership"));
        AssertOneActiveOwner(ctx);
    }

    [Test]
    public async Task UpdateUserAsync_DeactivateOwner_OwnerProtected()
    {
        using var ctx = new AuthTestContext();
        var owner = await ctx.OnboardAsync();

        var ex = Assert.ThrowsAsync<AuthException>(() =>
            ctx.Manager.UpdateUserAsync(owner, owner, new UserUpdate { IsActive = false }));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.OwnerProtected));
        AssertOneActiveOwner(ctx);
    }

    [Test]
    public async Task UpdateUserAsync_DemoteOwnerFromAdmins_OwnerProtected()
    {
        using var ctx = new AuthTestContext();
        var owner = await ctx.OnboardAsync();

        var ex = Assert.ThrowsAsync<AuthException>(() =>
            ctx.Manager.UpdateUserAsync(owner, owner, new UserUpdate { GroupIds = [Groups.Users] }));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.OwnerProtected));
        Assert.That(ctx.Store.Current.Owner!.IsAdmin, Is.True);
    }

    [Test]
    public async Task UpdateUserAsync_RenameOwner_Allowed()
    {
        using var ctx = new AuthTestContext();
        var owner = await ctx.OnboardAsync();

        var updated = await ctx.Manager.UpdateUserAsync(owner, owner, new UserUpdate { Name = "Alice B." });

        Assert.That(updated.Name, Is.EqualTo("Alice B."));
        Assert.That(updated.IsOwner, Is.True);
    }

    [Test]
    public async Task TransferOwnershipAsync_ByNonOwnerAdmin_Unauthorized()
    {
        using var ctx = new AuthTestContext();
        await ctx.OnboardAsync();
        var admin = await ctx.CreateUserWithPasswordAsync("Admin", "admin", "admin password", [Groups.Admin]);

        var ex = Assert.ThrowsAsync<AuthException>(() => ctx.Manager.TransferOwnershipAsync(admin, admin));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.Unauthorized));
        AssertOneActiveOwner(ctx);
    }

    [Test]
    public async Task TransferOwnershipAsync_ByOwner_MovesOwnershipInOneCommitAndOldOwnerStaysAdmin()
    {
        using var ctx = new AuthTestContext();
        var owner = await ctx.OnboardAsync();
        var bob = await ctx.CreateUserWithPasswordAsync("Bob", "bob", "bob's password");
        var commits = ctx.Store.CommitCount;

        await ctx.Manager.TransferOwnershipAsync(owner, bob);

        Assert.That(ctx.Store.CommitCount, Is.EqualTo(commits + 1));
        Assert.That(ctx.Store.Current.Owner!.Id, Is.EqualTo(bob));
        Assert.That(ctx.Store.Current.Owner.IsAdmin, Is.True);
        Assert.That(ctx.Store.Current.Users[owner].IsAdmin, Is.True);
        Assert.That(ctx.Store.Current.Users[owner].IsOwner, Is.False);
        AssertOneActiveOwner(ctx);
    }

    [Test]
    public async Task TransferOwnershipAsync_ToDeactivatedUser_InvalidRequest()
    {
        using var ctx = new AuthTestContext();
        var owner = await ctx.OnboardAsync();
        var bob = await ctx.CreateUserWithPasswordAsync("Bob", "bob", "bob's password");
        await ctx.Manager.UpdateUserAsync(owner, bob, new UserUpdate { IsActive = false });

        var ex = Assert.ThrowsAsync<AuthException>(() => ctx.Manager.TransferOwnershipAsync(owner, bob));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.InvalidRequest));
        Assert.That(ctx.Store.Current.Owner!.Id, Is.EqualTo(owner));
    }

    [Test]
    public async Task CreateUserAsync_ByNonAdmin_Unauthorized()
    {
        using var ctx = new AuthTestContext();
        await ctx.OnboardAsync();
        var bob = await ctx.CreateUserWithPasswordAsync("Bob", "bob", "bob's password");

        var ex = Assert.ThrowsAsync<AuthException>(() => ctx.Manager.CreateUserAsync(bob, "Eve", null));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.Unauthorized));
    }

    [Test]
    public async Task CreateUserAsync_UnknownGroup_InvalidFormat()
    {
        using var ctx = new AuthTestContext();
        var owner = await ctx.OnboardAsync();

        var ex = Assert.ThrowsAsync<AuthException>(() => ctx.Manager.CreateUserAsync(owner, "Eve", ["system-root"]));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.InvalidFormat));
        Assert.That(ex.Message, Does.Contain("system-admin"));
    }

    [Test]
    public async Task CreateUserAsync_NeverCreatesOwner()
    {
        using var ctx = new AuthTestContext();
        var owner = await ctx.OnboardAsync();

        var user = await ctx.Manager.CreateUserAsync(owner, "Carol", [Groups.Admin]);

        Assert.That(user.IsOwner, Is.False);
        AssertOneActiveOwner(ctx);
    }

    [Test]
    public async Task CreateCredentialAsync_UsernameTakenInOtherCase_UsernameExists()
    {
        using var ctx = new AuthTestContext();
        var owner = await ctx.OnboardAsync();
        var user = await ctx.Manager.CreateUserAsync(owner, "Alice Two", null);

        var ex = Assert.ThrowsAsync<AuthException>(() =>
            ctx.Manager.CreateCredentialAsync(owner, user.Id, " ALICE", "some password"));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.UsernameExists));
    }

    [Test]
    public async Task CreateCredentialAsync_SecondForSameUser_CredentialExists()
    {
        using var ctx = new AuthTestContext();
        var owner = await ctx.OnboardAsync();
        var bob = await ctx.CreateUserWithPasswordAsync("Bob", "bob", "bob's password");

        var ex = Assert.ThrowsAsync<AuthException>(() =>
            ctx.Manager.CreateCredentialAsync(owner, bob, "bobby", "bob's password"));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.CredentialExists));
    }

    [Test]
    public async Task DeleteUserAsync_User_RemovesCredentialsAndTokensInOneCommit()
    {
        using var ctx = new AuthTestContext();
        var owner = await ctx.OnboardAsync();
        var bob = await ctx.CreateUserWithPasswordAsync("Bob", "bob", "bob's password");
        var grant = await ctx.LoginForTokensAsync("bob", "bob's password");
        var revoked = new List<string>();
        ctx.Manager.RefreshTokenRevoked += revoked.Add;
        var commits = ctx.Store.CommitCount;

        await ctx.Manager.DeleteUserAsync(owner, bob);

        Assert.That(ctx.Store.CommitCount, Is.EqualTo(commits + 1));
        Assert.That(ctx.Store.Current.Users.ContainsKey(bob), Is.False);
        Assert.That(ctx.Store.Current.Credentials.Values.Any(c => c.UserId == bob), Is.False);
        Assert.That(revoked, Is.EqualTo(new[] { grant.RefreshTokenId }));
        Assert.That(ctx.Manager.TryAuthenticate(grant.AccessToken, out _), Is.False);
    }

    [Test]
    public async Task ChangePasswordAsync_Default_RevokesOtherTokensKeepsCurrent()
    {
        using var ctx = new AuthTestContext();
        var owner = await ctx.OnboardAsync();
        var current = await ctx.LoginForTokensAsync();
        var other = await ctx.LoginForTokensAsync();
        await ctx.Manager.CreateLongLivedTokenAsync(owner, "Tasker", 30);

        await ctx.Manager.ChangePasswordAsync(owner, AuthTestContext.OwnerPassword, "a brand new password", current.RefreshTokenId);

        Assert.That(ctx.Manager.ListRefreshTokens(owner).Select(t => t.Id), Is.EqualTo(new[] { current.RefreshTokenId }));
        Assert.That(ctx.Manager.TryAuthenticate(other.AccessToken, out _), Is.False);
        Assert.That((await ctx.LoginAsync("alice", "a brand new password")).Result, Is.Not.Null);
        Assert.That((await ctx.LoginAsync("alice", AuthTestContext.OwnerPassword)).Errors["base"], Is.EqualTo("invalid_auth"));
    }

    [Test]
    public async Task ChangePasswordAsync_KeepTokens_OtherTokensSurvive()
    {
        using var ctx = new AuthTestContext();
        var owner = await ctx.OnboardAsync();
        await ctx.LoginForTokensAsync();
        await ctx.LoginForTokensAsync();

        await ctx.Manager.ChangePasswordAsync(owner, AuthTestContext.OwnerPassword, "a brand new password",
            revokeOtherTokens: false);

        Assert.That(ctx.Manager.ListRefreshTokens(owner), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task ChangePasswordAsync_WrongCurrentPassword_InvalidAuthAndNothingChanged()
    {
        using var ctx = new AuthTestContext();
        var owner = await ctx.OnboardAsync();
        var commits = ctx.Store.CommitCount;

        var ex = Assert.ThrowsAsync<AuthException>(() =>
            ctx.Manager.ChangePasswordAsync(owner, "not my password", "a brand new password"));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.InvalidAuth));
        Assert.That(ctx.Store.CommitCount, Is.EqualTo(commits));
    }

    [Test]
    public async Task AdminChangePasswordAsync_ByAdmin_SetsPasswordAndRevokesTargetTokens()
    {
        using var ctx = new AuthTestContext();
        var owner = await ctx.OnboardAsync();
        var bob = await ctx.CreateUserWithPasswordAsync("Bob", "bob", "bob's password");
        await ctx.LoginForTokensAsync("bob", "bob's password");

        await ctx.Manager.AdminChangePasswordAsync(owner, bob, "bob's new password");

        Assert.That(ctx.Manager.ListRefreshTokens(bob), Is.Empty);
        Assert.That(ctx.Manager.VerifyPassword(bob, "bob's new password"), Is.True);
    }

    [Test]
    public async Task AdminChangePasswordAsync_ByNonAdmin_Unauthorized()
    {
        using var ctx = new AuthTestContext();
        var owner = await ctx.OnboardAsync();
        var bob = await ctx.CreateUserWithPasswordAsync("Bob", "bob", "bob's password");

        var ex = Assert.ThrowsAsync<AuthException>(() => ctx.Manager.AdminChangePasswordAsync(bob, owner, "taken over!"));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.Unauthorized));
        Assert.That(ctx.Manager.VerifyPassword(owner, AuthTestContext.OwnerPassword), Is.True);
    }

    [Test]
    public async Task EveryAdminOperation_AfterwardsStoreHoldsExactlyOneActiveOwner()
    {
        using var ctx = new AuthTestContext();
        var owner = await ctx.OnboardAsync();
        var bob = await ctx.CreateUserWithPasswordAsync("Bob", "bob", "bob's password", [Groups.Admin]);
        var ops = new Func<Task>[]
        {
            () => ctx.Manager.DeleteUserAsync(bob, owner),
            () => ctx.Manager.UpdateUserAsync(bob, owner, new UserUpdate { IsActive = false }),
            () => ctx.Manager.UpdateUserAsync(bob, owner, new UserUpdate { GroupIds = [Groups.ReadOnly] }),
            () => ctx.Manager.TransferOwnershipAsync(bob, bob),
            () => ctx.Manager.TransferOwnershipAsync(owner, bob),
            () => ctx.Manager.TransferOwnershipAsync(bob, owner),
            () => ctx.Manager.UpdateUserAsync(owner, bob, new UserUpdate { IsActive = false }),
            () => ctx.Manager.DeleteUserAsync(bob, bob),
        };

        foreach (var op in ops)
        {
            try
            {
                await op();
            }
            catch (AuthException)
            {
            }

            AssertOneActiveOwner(ctx);
        }
    }

    private static void AssertOneActiveOwner(AuthTestContext ctx)
    {
        var data = ctx.Store.Current;
        Assert.That(data.Users.Values.Count(u => u.IsOwner), Is.EqualTo(1));
        Assert.That(data.Owner, Is.Not.Null);
        Assert.That(AuthInvariants.Check(data), Is.Empty);
    }
}
