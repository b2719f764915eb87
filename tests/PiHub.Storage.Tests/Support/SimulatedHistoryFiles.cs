using System.Buffers;
using PiHub.Storage.Recorder;

namespace PiHub.Storage.Tests.Support;

/// <summary>The day log's folder on a <see cref="SimulatedMedium"/>: every write and flush is recorded for power-cut replays.</summary>
internal sealed class SimulatedHistoryFiles : IHistoryFiles
{
    private readonly Dictionary<string, SimulatedStream> _files = new(StringComparer.Ordinal);

    /// <param name="medium">Where writes are recorded.</param>
    /// <param name="existing">Files already on the medium (e.g. the image left by a power cut).</param>
    public SimulatedHistoryFiles(SimulatedMedium medium, IReadOnlyDictionary<string, byte[]>? existing = null)
    {
        Medium = medium;
        foreach (var (name, content) in existing ?? new Dictionary<string, byte[]>()) _files[name] = medium.Open(name, content);
    }

    public SimulatedMedium Medium { get; }

    /// <summary>When true, every write and flush fails like a full card.</summary>
    public bool Failing { get; set; }

    public IReadOnlyList<string> List() => [.. _files.Keys.Order(StringComparer.Ordinal)];

    public Stream OpenWrite(string name)
    {
        if (!_files.TryGetValue(name, out var stream)) _files[name] = stream = Medium.Open(name);
        return new FailingStream(new Unowned(stream), () => Failing);
    }

    public int Read(string name, long maxLength, out byte[] buffer)
    {
        var stream = _files[name];
        var length = (int)Math.Min(stream.Length, maxLength);
        buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, length));
        var position = stream.Position;
        stream.Position = 0;
        stream.ReadExactly(buffer, 0, length);
        stream.Position = position;
        return length;
    }

    public long Length(string name) => _files[name].Length;

    public void Delete(string name) => _files.Remove(name);

    public string MoveAside(string name, DateTimeOffset now)
    {
        var aside = name + ".corrupt";
        _files[aside] = _files[name];
        _files.Remove(name);
        return aside;
    }

    public void SyncDirectory()
    {
    }

    public void Sync(Stream stream) => stream.Flush();

    /// <summary>Every file's content as a power cut before operation <paramref name="cut"/> would leave it.</summary>
    public Dictionary<string, byte[]> ImagesAfterCut(int cut, CutModel model, Random random) =>
        _files.Keys.ToDictionary(n => n, n => Medium.ImageAfterCut(n, cut, model, random, olderSide: false), StringComparer.Ordinal);

    /// <summary>A stream the writer may dispose while the medium keeps the file.</summary>
    private sealed class Unowned(Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => true;

        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set => inner.Position = value;
        }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

        public override void SetLength(long value) => inner.SetLength(value);

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    }
}
