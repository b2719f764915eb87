namespace PiHub.Storage.Tests.Support;

/// <summary>What survives a power cut beyond each file's last flush.</summary>
public enum CutModel
{
    /// <summary>Only flushed data.</summary>
    OnlyFlushed,

    /// <summary>Flushes are barriers; a random prefix of later writes survives, the last maybe torn.</summary>
    BarrierPlusPrefix,

    /// <summary>Each later write survives with probability 1/2, in any combination.</summary>
    Reordered,

    /// <summary>The log holds an older prefix (only its flushed part) while the data file kept every write.</summary>
    OlderLog,
}
