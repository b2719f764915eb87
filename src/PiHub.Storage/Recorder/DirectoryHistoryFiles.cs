using PiHub.Storage.Auth;
using PiHub.Storage.Durability;

namespace PiHub.Storage.Recorder;

/// <summary>The day log's folder on disk (<c>&lt;data_dir&gt;/history</c>).</summary>
internal sealed class DirectoryHistoryFiles : IHistoryFiles
{
    private readonly bool _durable;

    /// <param name="directory">The folder; created when missing.</param>
    /// <param name="durable">False only for benchmarks: no fsync at all.</param>
    public DirectoryHistoryFiles(string directory, bool durable = true)
    {
        Directory = Path.GetFullPath(directory);
        _durable = durable;
        var created = !System.IO.Directory.Exists(Directory);
        if (OperatingSystem.IsWindows()) System.IO.Directory.CreateDirectory(Directory);
        else System.IO.Directory.CreateDirectory(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (created && durable) FileSync.SyncDirectory(Path.GetDirectoryName(Directory)!);
    }

    public string Directory { get; }

    public IReadOnlyList<string> List() =>
        [.. System.IO.Directory.EnumerateFiles(Directory).Select(p => Path.GetFileName(p)!)];

    public Stream OpenWrite(string name)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.OpenOrCreate,
            Access = FileAccess.ReadWrite,
            Share = FileShare.Read,
            BufferSize = 0,
        };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        return new FileStream(Path.Combine(Directory, name), options);
    }

    public int Read(string name, long maxLength, out byte[] buffer)
    {
        using var handle = File.OpenHandle(Path.Combine(Directory, name), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var length = (int)Math.Min(RandomAccess.GetLength(handle), maxLength);
        buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        var read = 0;
        while (read < length)
        {
            var n = RandomAccess.Read(handle, buffer.AsSpan(read), read);
            if (n == 0) break;
            read += n;
        }

        return read;
    }

    public long Length(string name) => new FileInfo(Path.Combine(Directory, name)).Length;

    public void Delete(string name) => File.Delete(Path.Combine(Directory, name));

    public string MoveAside(string name, DateTimeOffset now)
    {
        var path = Path.Combine(Directory, name);
        var aside = StoreFiles.AsideName(path, now);
        File.Move(path, aside);
        return Path.GetFileName(aside);
    }

    public void SyncDirectory()
    {
        if (_durable) FileSync.SyncDirectory(Directory);
    }

    public void Sync(Stream stream)
    {
        if (!_durable) return;
        if (stream is FileStream file) file.Flush(flushToDisk: true);
        else stream.Flush();
    }
}
