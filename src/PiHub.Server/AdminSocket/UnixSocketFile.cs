using System.Runtime.InteropServices;
using System.Text;

namespace PiHub.Server.AdminSocket;

/// <summary>File-system chores of the admin socket: its folder, a stale file, its mode and group.</summary>
internal static class UnixSocketFile
{
    /// <summary>Gives the socket to <paramref name="gid"/> (the service must be a member); false when the kernel refuses.</summary>
    public static bool TryChangeGroup(string path, uint gid, out int errno)
    {
        var bytes = Encoding.UTF8.GetBytes(path + "\0");
        var ok = chown(bytes, uint.MaxValue, gid) == 0; // uid (uid_t)-1: leave the owner as it is
        errno = ok ? 0 : Marshal.GetLastPInvokeError();
        return ok;
    }

    // Blittable arguments (a NUL-terminated byte array): nothing to marshal beyond pinning.
    [DllImport("libc", SetLastError = true)]
    private static extern int chown(byte[] path, uint owner, uint group);
}
