using PiHub.Core.Auth.Model;
using PiHub.Core.Auth.Storage;

namespace PiHub.Core.Tests.Auth;

public class AuthInvariantsTests
{
    private static User Owner(string id = "u1") => new() { Id = id, Name = "Alice", IsOwner = true, GroupIds = [Groups.Admin] };

    [Test]
    public void Check_OwnerWithOnboardingDone_IsConsistent()
    {
        var data = AuthData.Empty.Apply(new AuthChangeSet("owner")
            .Put(Owner())
            .Put(OnboardingState.Fresh with { UserDone = true }));

        Assert.That(AuthInvariants.Check(data), Is.Empty);
        Assert.That(data.Generation, Is.EqualTo(1));
    }

    [Test]
    public void Check_OnboardingDoneWithoutOwner_IsReported()
    {
        var data = AuthData.Empty.Apply(new AuthChangeSet("bad").Put(OnboardingState.Fresh with { UserDone = true }));

        Assert.That(AuthInvariants.Check(data), Has.Some.Contains("0 owners"));
    }

    [Test]
    public void Check_TwoOwners_IsReported()
    {
        var data = AuthData.Empty.Apply(new AuthChangeSet("bad")
            .Put(Owner("a")).Put(Owner("b"))
            .Put(OnboardingState.Fresh with { UserDone = true }));

        Assert.That(AuthInvariants.Check(data), Has.Some.Contains("2 owners"));
    }

    [Test]
    public void Check_CredentialOfMissingUser_IsReported()
    {
        var data = AuthData.Empty.Apply(new AuthChangeSet("bad")
            .Put(new Credential { Id = "c1", UserId = "ghost", Username = "bob", PasswordHash = "x" }));

        Assert.That(AuthInvariants.Check(data), Has.Some.Contains("missing user ghost"));
    }

    [Test]
    public void Apply_Delete_RemovesRecordAndLeavesOriginalUntouched()
    {
        var one = AuthData.Empty.Apply(new AuthChangeSet("add").Put(Owner()));
        var two = one.Apply(new AuthChangeSet("remove").Delete(AuthRecordKind.User, "u1"));

        Assert.That(two.Users, Is.Empty);
        Assert.That(one.Users, Has.Count.EqualTo(1));
    }
}
