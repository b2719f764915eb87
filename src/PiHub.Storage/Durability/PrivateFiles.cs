using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace PiHub.Storage.Durability;

/// <summary>
/// Keeps the data folder private to the service user: the auth store holds password hashes, the JWT signing key
/// and TOTP secrets, so a copy readable by another account on the Pi would let it forge an owner token. New files
/// are created 0600 and folders 0700 (the process's umask becomes 077, whoever started it: systemd's <c>UMask=</c>
/// is not relied on), and an existing folder with looser modes — an old install, a restored backup, a copy made
/// with <c>cp -r</c> — is tightened at start-up, with one log line.
/// </summary>
public static partial class PrivateFiles
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode GroupAndOthers = (UnixFileMode)0x3F; // 0077

    /// <summary>
    /// Makes files this process creates from now on private, creates <paramref name="directory"/> (0700) if needed and
    /// tightens what is in it. Returns how many files and folders were tightened (see <see cref="LogTightened"/>).
    /// </summary>
    public static int Secure(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            Directory.CreateDirectory(directory);
            return 0;
        }

        RestrictNewFiles();
        Directory.CreateDirectory(directory, OwnerOnly);
        return Tighten(directory);
    }

    /// <summary>Files and folders this process creates from now on are private to its user (umask 077).</summary>
    public static void RestrictNewFiles()
    {
        if (OperatingSystem.IsLinux()) _ = umask(0x3F);
    }

    /// <summary>The one log line for what <see cref="Secure"/> tightened (nothing when it was already private).</summary>
    public static void LogTightened(ILogger logger, string directory, int count)
    {
        ArgumentNullException.ThrowIfNull(logger);
        if (count == 0) return;
        logger.LogWarning(
            "Tightened the permissions of {Count} files and folders in {Directory}: other users could read them (files are now 0600, folders 0700).",
            count, directory);
    }

    /// <summary>Removes group and other permissions from <paramref name="directory"/> and everything in it (symlinks are not followed).</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static int Tighten(string directory)
    {
        var count = TightenOne(directory) ? 1 : 0;
        var walk = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
        foreach (var path in Directory.EnumerateFileSystemEntries(directory, "*", walk))
        {
            if (TightenOne(path)) count++;
        }

        return count;
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static bool TightenOne(string path)
    {
        var mode = File.GetUnixFileMode(path);
        if ((mode & GroupAndOthers) == 0) return false;
        File.SetUnixFileMode(path, mode & ~GroupAndOthers);
        return true;
    }

    [LibraryImport("libc", EntryPoint = "umask")]
    private static partial uint umask(uint mask);
}
