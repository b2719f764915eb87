using System.Runtime.InteropServices;

namespace PiHub.Cli.Hosting;

/// <summary>
/// While the service is stopped, root (sudo pihub-cli) works on the store as the data folder's owner (the
/// service user): every file it creates or replaces — the store, its log, lock and snapshots — stays the
/// service's, so the service still opens them at its next start. Only the effective ids change, and they are
/// restored on dispose (the saved set-user-id stays root).
/// </summary>
internal sealed partial class DataOwner : IDisposable
{
    private const int AtFdCwd = -100;
    private const uint StatxUid = 0x8;
    private const uint StatxGid = 0x10;
    private readonly bool _switched;

    private DataOwner(bool switched) => _switched = switched;

    /// <summary>Becomes the owner of <paramref name="directory"/> when running as root and it belongs to someone else.</summary>
    public static DataOwner Assume(string directory)
    {
        if (!OperatingSystem.IsLinux() || geteuid() != 0 || !TryGetOwner(directory, out var uid, out var gid) || uid == 0) return new DataOwner(false);
        if (setegid(gid) != 0 || seteuid(uid) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            setegid(0);
            throw CliFailure.NotPermitted($"Could not act as the owner of {directory} (uid {uid}, errno {errno}); run pihub-cli as that user (sudo -u '#{uid}' pihub-cli …).");
        }

        return new DataOwner(true);
    }

    /// <summary>The owner of a path (statx: one layout on every architecture, unlike struct stat).</summary>
    public static unsafe bool TryGetOwner(string path, out uint uid, out uint gid)
    {
        uid = gid = 0;
        var buffer = stackalloc byte[256];
        if (statx(AtFdCwd, path, 0, StatxUid | StatxGid, buffer) != 0) return false;
        uid = *(uint*)(buffer + 20);
        gid = *(uint*)(buffer + 24);
        return true;
    }

    public void Dispose()
    {
        if (!_switched) return;
        seteuid(0);
        setegid(0);
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial uint geteuid();

    [LibraryImport("libc", SetLastError = true)]
    private static partial int seteuid(uint uid);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setegid(uint gid);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int statx(int dirfd, string path, int flags, uint mask, byte* buffer);
}
