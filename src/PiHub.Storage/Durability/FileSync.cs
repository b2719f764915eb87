using System.Runtime.InteropServices;

namespace PiHub.Storage.Durability;

/// <summary>
/// File-system operations that are durable on Linux: a created or renamed file is only
/// safe once its directory entry is flushed, which .NET has no API for (it refuses to open
/// a directory as a file), hence the two libc calls.
/// </summary>
internal static partial class FileSync
{
    private const int ReadOnlyFlag = 0; // O_RDONLY

    // O_DIRECTORY differs by architecture: 0x10000 on x86/x64, but 0x4000 on ARM, where 0x10000
    // is O_DIRECT and makes open() of a directory fail with EINVAL — the hub would not start on
    // a Pi. Found by the end-to-end test of the arm64 binary under qemu.
    private static readonly int s_directoryFlag =
        RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x4000 : 0x10000;

    /// <summary>Flushes a directory's entries (new, renamed, removed files) to the medium.</summary>
    public static void SyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux()) return; // other systems: dev only, best effort by the OS
        var fd = Open(directory, ReadOnlyFlag | s_directoryFlag);
        if (fd < 0) throw new IOException($"Could not open directory {directory} to flush it (errno {Marshal.GetLastPInvokeError()}).");
        try
        {
            if (FSync(fd) != 0 && Marshal.GetLastPInvokeError() != 22 /* EINVAL: fs without dir fsync */)
            {
                throw new IOException($"Could not flush directory {directory} (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>Opens (creating) a file for writing whose content is flushed by <see cref="FileStream.Flush(bool)"/>.</summary>
    public static FileStream OpenReadWrite(string path, FileMode mode) =>
        new(path, new FileStreamOptions
        {
            Mode = mode,
            Access = FileAccess.ReadWrite,
            // LiteDB opens extra readers through its own pool on the same Stream object, so
            // nothing else needs to share the file; our lock file keeps other processes out.
            Share = FileShare.ReadWrite,
            Options = FileOptions.RandomAccess,
            BufferSize = 0,
        });

    /// <summary>Writes a whole file durably: temp file, fsync, rename over the target, directory fsync.</summary>
    public static void WriteAllBytesDurably(string path, ReadOnlySpan<byte> content, UnixFileMode? mode = null)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temp = path + ".tmp-" + Environment.ProcessId;
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (mode is { } m && !OperatingSystem.IsWindows()) options.UnixCreateMode = m;
        using (var fs = new FileStream(temp, options))
        {
            fs.Write(content);
            fs.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
        SyncDirectory(dir);
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
