namespace PiHub.Storage.Auth;

/// <summary>
/// A checksum over the whole set of documents: the XOR of every document checksum plus a
/// count. XOR makes it order-free and incremental (a commit only touches its own documents),
/// which keeps a commit on a store with 10,000 tokens cheap; it detects lost, extra or stale
/// documents, which is what it is for (the per-document SHA-256 covers the content).
/// </summary>
internal sealed class SetChecksum
{
    private readonly byte[] _xor = new byte[32];

    public long Count { get; private set; }

    public string Hex => Convert.ToHexStringLower(_xor);

    public void Add(byte[] documentSum)
    {
        Toggle(documentSum);
        Count++;
    }

    public void Remove(byte[] documentSum)
    {
        Toggle(documentSum);
        Count--;
    }

    public SetChecksum Clone()
    {
        var copy = new SetChecksum { Count = Count };
        _xor.CopyTo(copy._xor, 0);
        return copy;
    }

    private void Toggle(byte[] sum)
    {
        for (var i = 0; i < _xor.Length; i++) _xor[i] ^= sum[i];
    }
}
