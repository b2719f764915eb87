using System.Net.Sockets;
using PiHub.Server.AdminSocket;

namespace PiHub.Server.Tests.AdminSocket;

/// <summary>Who may use the admin socket, from the kernel's peer credentials.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class AdminAccessPolicyTests
{
    [Test]
    public void Policy_RootServiceUserAndGroupMembers_AllowedOthersRefused()
    {
        var policy = new AdminAccessPolicy(serviceUid: 998, groupName: "pihub-admin", groupId: 1234);

        Assert.That(policy.Allows(new PeerCredentials(1, 0, 0, [])), Is.True, "root");
        Assert.That(policy.Allows(new PeerCredentials(1, 998, 998, [])), Is.True, "the service's own user");
        Assert.That(policy.Allows(new PeerCredentials(1, 1000, 1000, [27, 1234])), Is.True, "a member through a supplementary group");
        Assert.That(policy.Allows(new PeerCredentials(1, 1001, 1234, [])), Is.True, "a member through the primary group");
        Assert.That(policy.Allows(new PeerCredentials(1, 1000, 1000, [27])), Is.False, "anyone else");
        Assert.That(policy.Refusal(new PeerCredentials(1, 1000, 1000, [])), Does.Contain("sudo pihub-cli").And.Contain("pihub-admin"));
    }

    [Test]
    public void Policy_NoGroupConfigured_RootOnlyBesidesTheServiceUser()
    {
        var policy = new AdminAccessPolicy(serviceUid: 998, groupName: null, groupId: null);

        Assert.That(policy.Allows(new PeerCredentials(1, 1000, 1234, [1234])), Is.False);
        Assert.That(policy.Refusal(null), Does.Contain("run pihub-cli as root (sudo pihub-cli …)"));
    }

    [Test]
    public void LookUpGroup_EtcGroupFormat_FindsTheGid()
    {
        var file = Path.Combine(Path.GetTempPath(), $"group-{Guid.NewGuid():N}");
        File.WriteAllText(file, "root:x:0:\nsudo:x:27:pi\npihub-admin:x:1234:pi,alice\n");

        Assert.That(AdminAccessPolicy.LookUpGroup("pihub-admin", file), Is.EqualTo(1234u));
        Assert.That(AdminAccessPolicy.LookUpGroup("missing", file), Is.Null);
    }

    [Test]
    public void PeerCredentials_OfOurOwnConnection_AreThisProcess()
    {
        var path = Path.Combine(Path.GetTempPath(), $"peer-{Guid.NewGuid():N}.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen();
        using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        client.Connect(new UnixDomainSocketEndPoint(path));
        using var accepted = listener.Accept();

        var peer = PeerCredentials.Read(accepted);
        File.Delete(path);

        Assert.That(peer, Is.Not.Null);
        Assert.That(peer!.Pid, Is.EqualTo(Environment.ProcessId));
        Assert.That(peer.Uid, Is.EqualTo(OwnUid()));
    }

    /// <summary>Our uid, as /proc tells it (the "Uid:" line's effective id).</summary>
    private static uint OwnUid() =>
        uint.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[2], System.Globalization.CultureInfo.InvariantCulture);
}
