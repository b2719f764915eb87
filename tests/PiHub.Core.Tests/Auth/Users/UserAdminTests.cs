using PiHub.Core.Auth;
using PiHub.Core.Auth.Model;
using PiHub.Core.Auth.Storage;

namespace PiHub.Core.Tests.Auth.Users;

public class UserAdminTests
{
    [Test]
    public async Task DeleteAsync_Owner_OwnerProtected()
    {
        using var ctx = new AuthTestContext();
        var owner = await ctx.OnboardAsync();
        var admin = await ctx.CreateUserWithPasswordAsync("Admin", "admin", "admin password", [Groups.Admin]);

        var ex = Assert.ThrowsAsync<AuthException>(() => ctx.Manager.Users.DeleteAsync(admin, owner));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.OwnerProtected));
        Assert.That(ex.Message, Does.Contain("Transfer ownership"));
        AssertOneActiveOwner(ctx);
    }

    [Test]
    public async Task UpdateAsync_DeactivateOwner_OwnerProtected()
    {
        using var ctx = new AuthTestContext();
        var owner = await ctx.OnboardAsync();

        var ex = Assert.ThrowsAsync<AuthException>(() =>
            ctx.Manager.Users.UpdateAsync(owner, owner, new UserUpdate { IsActive = false }));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.OwnerProtected));
        AssertOneActiveOwner(ctx);
    }

    [Test]
    public async Task UpdateAsync_DemoteOwnerFromAdmins_OwnerProtected()
    {
        using var ctx = new AuthTestContext();
        var owner = await ctx.OnboardAsync();

        var ex = Assert.ThrowsAsync<AuthException>(() =>
            ctx.Manager.Users.UpdateAsync(owner, owner, new UserUpdate { GroupIds = [Groups.Users] }));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.OwnerProtected));
        Assert.That(ctx.Store.Current.Owner!.IsAdmin, Is.True);
    }

    [Test]
    public async Task UpdateAsync_RenameOwner_Allowed()
    {
        using var ctx = new AuthTestContext();
        var owner = await ctx.OnboardAsync();

        var updated = await ctx.Manager.Users.UpdateAsync(owner, owner, new UserUpdate { Name = "Alice B." });

        Assert.That(updated.Name, Is.EqualTo("Alice B."));
        Assert.That(updated.IsOwner, Is.True);
    }

    [Test]
    public async Task TransferOwnershipAsync_ByNonOwnerAdmin_Unauthorized()
    {
        using var ctx = new AuthTestContext();
        await ctx.OnboardAsync();
        var admin = await ctx.CreateUserWithPasswordAsync("Admin", "admin", "admin password", [Groups.Admin]);

        var ex = Assert.ThrowsAsync<AuthException>(() => ctx.Manager.Users.TransferOwnershipAsync(admin, admin));

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

        await ctx.Manager.Users.TransferOwnershipAsync(owner, bob);

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
        await ctx.Manager.Users.UpdateAsync(owner, bob, new UserUpdate { IsActive = false });

        var ex = Assert.ThrowsAsync<AuthException>(() => ctx.Manager.Users.TransferOwnershipAsync(owner, bob));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.InvalidRequest));
        Assert.That(ctx.Store.Current.Owner!.Id, Is.EqualTo(owner));
    }

    [Test]
    public async Task CreateAsync_ByNonAdmin_Unauthorized()
    {
        using var ctx = new AuthTestContext();
        await ctx.OnboardAsync();
        var bob = await ctx.CreateUserWithPasswordAsync("Bob", "bob", "bob's password");

        var ex = Assert.ThrowsAsync<AuthException>(() => ctx.Manager.Users.CreateAsync(bob, "Eve", null));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.Unauthorized));
    }

    [Test]
    public async Task CreateAsync_UnknownGroup_InvalidFormat()
    {
        using var ctx = new AuthTestContext();
        var owner = await ctx.OnboardAsync();

        var ex = Assert.ThrowsAsync<AuthException>(() => ctx.Manager.Users.CreateAsync(owner, "Eve", ["system-root"]));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.InvalidFormat));
        Assert.That(ex.Message, Does.Contain("system-admin"));
    }

    [Test]
    public async Task CreateAsync_NeverCreatesOwner()
    {
        using var ctx = new AuthTestContext();
        var owner = await ctx.OnboardAsync();

        var user = await ctx.Manager.Users.CreateAsync(owner, "Carol", [Groups.Admin]);

        Assert.That(user.IsOwner, Is.False);
        AssertOneActiveOwner(ctx);
    }

    [Test]
    public async Task DeleteAsync_User_RemovesCredentialsAndTokensInOneCommit()
    {
        using var ctx = new AuthTestContext();
        var owner = await ctx.OnboardAsync();
        var bob = await ctx.CreateUserWithPasswordAsync("Bob", "bob", "bob's password");
        var grant = await ctx.LoginForTokensAsync("bob", "bob's password");
        var revoked = new List<string>();
        ctx.Manager.RefreshTokenRevoked += (id, _) => revoked.Add(id);
        var commits = ctx.Store.CommitCount;

        await ctx.Manager.Users.DeleteAsync(owner, bob);

        Assert.That(ctx.Store.CommitCount, Is.EqualTo(commits + 1));
        Assert.That(ctx.Store.Current.Users.ContainsKey(bob), Is.False);
        Assert.That(ctx.Store.Current.Credentials.Values.Any(c => c.UserId == bob), Is.False);
        Assert.That(revoked, Is.EqualTo(new[] { grant.RefreshTokenId }));
        Assert.That(ctx.Manager.AccessTokens.TryAuthenticate(grant.AccessToken, out _), Is.False);
    }

    [Test]
    public async Task EveryAdminOperation_AfterwardsStoreHoldsExactlyOneActiveOwner()
    {
        using var ctx = new AuthTestContext();
        var owner = await ctx.OnboardAsync();
        var bob = await ctx.CreateUserWithPasswordAsync("Bob", "bob", "bob's password", [Groups.Admin]);
        var ops = new Func<Task>[]
        {
            () => ctx.Manager.Users.DeleteAsync(bob, owner),
            () => ctx.Manager.Users.UpdateAsync(bob, owner, new UserUpdate { IsActive = false }),
            () => ctx.Manager.Users.UpdateAsync(bob, owner, new UserUpdate { GroupIds = [Groups.ReadOnly] }),
            () => ctx.Manager.Users.TransferOwnershipAsync(bob, bob),
            () => ctx.Manager.Users.TransferOwnershipAsync(owner, bob),
            () => ctx.Manager.Users.TransferOwnershipAsync(bob, owner),
            () => ctx.Manager.Users.UpdateAsync(owner, bob, new UserUpdate { IsActive = false }),
            () => ctx.Manager.Users.DeleteAsync(bob, bob),
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
