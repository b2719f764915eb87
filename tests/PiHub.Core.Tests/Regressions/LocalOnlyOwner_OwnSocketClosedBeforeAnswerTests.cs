using PiHub.Core.Auth;
using PiHub.Core.Auth.Model;
using PiHub.Core.Auth.Users;

namespace PiHub.Core.Tests.Regressions;

/// <summary>
/// Any change to a user's local_only flag closed all of that user's sockets, the local ones too: an owner who made
/// themselves local-only from the dashboard on the LAN lost the socket the command came over before its answer arrived.
/// Becoming local-only ends only connections from outside the local network; other rights changes end them all.
/// </summary>
public class LocalOnlyOwner_OwnSocketClosedBeforeAnswerTests
{
    private static readonly User s_user = new() { Id = "u1", Name = "Owner", IsOwner = true, GroupIds = [Groups.Admin], CreatedAt = DateTimeOffset.UnixEpoch };

    [Test]
    public void Ends_MadeLocalOnly_OnlyConnectionsFromOutside()
    {
        var change = new UserAccessChange(s_user, s_user with { LocalOnly = true });

        Assert.That(change.Ends(connectionIsLocal: true), Is.False, "a connection from the local network may go on");
        Assert.That(change.Ends(connectionIsLocal: false), Is.True, "a connection from outside lost its right");
    }

    [Test]
    public void Ends_NoLongerLocalOnly_NoConnection()
    {
        var change = new UserAccessChange(s_user with { LocalOnly = true }, s_user);

        Assert.That(change.Ends(connectionIsLocal: false), Is.False);
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Ends_RemovedDeactivatedOrRegrouped_EveryConnection(bool local)
    {
        Assert.That(new UserAccessChange(s_user, null).Ends(local), Is.True);
        Assert.That(new UserAccessChange(s_user, s_user with { IsActive = false }).Ends(local), Is.True);
        Assert.That(new UserAccessChange(s_user, s_user with { GroupIds = [Groups.Users] }).Ends(local), Is.True);
    }
}
