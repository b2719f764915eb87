namespace PiHub.Storage.Recorder;

/// <summary>
/// The folder the day log lives in, as the store sees it: real files in production, a simulated
/// medium in the power-cut tests. Names are plain file names (no folders).
/// </summary>
internal interface IHistoryFiles
{
    /// <summary>Every file name in the folder.</summary>
    IReadOnlyList<string> List();

    /// <summary>Opens a file for reading and appending, creating it when missing.</summary>
    Stream OpenWrite(string name);

    /// <summary>
    /// Reads up to <paramref name="maxLength"/> bytes from the start of a file into a buffer rented
    /// from <see cref="System.Buffers.ArrayPool{T}.Shared"/> (the caller returns it); returns the count read.
    /// </summary>
    int Read(string name, long maxLength, out byte[] buffer);

    long Length(string name);

    void Delete(string name);

    /// <summary>Renames a damaged file out of the way (never deleting it); returns its new name.</summary>
    string MoveAside(string name, DateTimeOffset now);

    /// <summary>Makes created, renamed and deleted names durable.</summary>
    void SyncDirectory();

    /// <summary>Forces what was written to <paramref name="stream"/> onto the medium.</summary>
    void Sync(Stream stream);
}
