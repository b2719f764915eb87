using System.Globalization;
using System.Runtime.InteropServices;

namespace PiHub.Server.AdminSocket;

/// <summary>
/// Who may administer the hub over the admin socket: root, the service's own user (it owns the data anyway;
/// in dev mode that is the developer), and members of <c>admin.group</c> when one is configured.
/// </summary>
internal sealed class AdminAccessPolicy
{
    private readonly uint _serviceUid;
    private readonly uint? _groupId;
    private readonly string? _groupName;

    public AdminAccessPolicy(uint serviceUid, string? groupName, uint? groupId)
    {
        _serviceUid = serviceUid;
        _groupName = groupName;
        _groupId = groupId;
    }

    /// <summary>The policy for this process: its own uid, and the group looked up in <c>/etc/group</c>.</summary>
    public static AdminAccessPolicy ForThisProcess(string? groupName, string groupFile = "/etc/group") =>
        new(geteuid(), groupName, groupName is null ? null : LookUpGroup(groupName, groupFile));

    /// <summary>The configured group's id; null when no group is configured or it does not exist.</summary>
    public uint? GroupId => _groupId;

    public bool Allows(PeerCredentials peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        if (peer.Uid == 0 || peer.Uid == _serviceUid) return true;
        return _groupId is { } gid && (peer.Gid == gid || peer.Groups.Contains(gid));
    }

    /// <summary>The sentence a refused caller reads.</summary>
    public string Refusal(PeerCredentials? peer) =>
        (peer is null ? "The admin socket could not tell who you are" : string.Create(CultureInfo.InvariantCulture, $"User id {peer.Uid} may not administer PiHub")) +
        (_groupName is null
            ? ": run pihub-cli as root (sudo pihub-cli …)."
            : $": run pihub-cli as root (sudo pihub-cli …), or as a member of the group {_groupName} (log in again after joining it).");

    /// <summary>The id of a group in an <c>/etc/group</c>-format file, or null.</summary>
    internal static uint? LookUpGroup(string name, string groupFile)
    {
        if (!File.Exists(groupFile)) return null;
        foreach (var line in File.ReadLines(groupFile))
        {
            var fields = line.Split(':');
            if (fields.Length >= 3 && fields[0] == name && uint.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var gid))
            {
                return gid;
            }
        }

        return null;
    }

    // A blittable DllImport: nothing to marshal, so no generated stub (and no unsafe code) is needed.
    [DllImport("libc")]
    private static extern uint geteuid();
}
