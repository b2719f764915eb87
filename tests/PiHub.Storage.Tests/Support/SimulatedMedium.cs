namespace PiHub.Storage.Tests.Support;

/// <summary>
/// A recording storage medium: every write, truncate and flush (fsync) of every file, in one
/// global order. From the record it builds what a disk could hold after power was cut at any
/// operation, under four models of what survives beyond the last flush of each file.
/// </summary>
internal sealed class SimulatedMedium
{
    private readonly List<SimOp> _ops = [];
    private readonly Dictionary<string, byte[]> _baseline = new();

    /// <summary>Operations recorded so far; a cut at N keeps (at most) the first N.</summary>
    public int OpCount
    {
        get
        {
            lock (_ops) return _ops.Count;
        }
    }

    /// <summary>A copy of every operation recorded so far.</summary>
    public IReadOnlyList<SimOp> Ops
    {
        get
        {
            lock (_ops) return [.. _ops];
        }
    }

    /// <summary>Opens a file whose content starts as <paramref name="initial"/> (durable already).</summary>
    public SimulatedStream Open(string name, byte[]? initial = null)
    {
        _baseline[name] = initial ?? [];
        return new SimulatedStream(this, name, initial ?? []);
    }

    internal void Record(SimOp op)
    {
        lock (_ops) _ops.Add(op with { Seq = _ops.Count });
    }

    /// <summary>The content of <paramref name="name"/> after a cut before operation <paramref name="cut"/>.</summary>
    public byte[] ImageAfterCut(string name, int cut, CutModel model, Random random, bool olderSide)
    {
        List<SimOp> mine;
        lock (_ops) mine = _ops.Take(cut).Where(o => o.File == name).ToList();
        var lastBarrier = mine.FindLastIndex(o => o.Kind == SimOpKind.Flush);
        var image = new MemoryStream();
        image.Write(_baseline[name]);
        for (var i = 0; i <= lastBarrier; i++) ApplyTo(image, mine[i], mine[i].Data?.Length ?? 0);

        var pending = mine.Skip(lastBarrier + 1).Where(o => o.Kind != SimOpKind.Flush).ToList();
        switch (model)
        {
            case CutModel.OnlyFlushed:
                break;
            case CutModel.BarrierPlusPrefix:
                // A random prefix of the later operations, the last one possibly torn at a sector.
                var keep = random.Next(pending.Count + 1);
                for (var i = 0; i < keep; i++)
                {
                    var torn = i == keep - 1 && pending[i].Data is { Length: > 512 } d && random.Next(2) == 0
                        ? 512 * random.Next(1, d.Length / 512) : pending[i].Data?.Length ?? 0;
                    ApplyTo(image, pending[i], torn);
                }

                break;
            case CutModel.Reordered:
                foreach (var op in pending.Where(_ => random.Next(2) == 0)) ApplyTo(image, op, op.Data?.Length ?? 0);
                break;
            case CutModel.OlderLog:
                // The log keeps only what was flushed while the data file kept every write: the log is older.
                if (!olderSide) foreach (var op in pending) ApplyTo(image, op, op.Data?.Length ?? 0);
                break;
        }

        return image.ToArray();
    }

    private static void ApplyTo(MemoryStream image, SimOp op, int bytes)
    {
        switch (op.Kind)
        {
            case SimOpKind.Write:
                if (image.Length < op.Offset) image.SetLength(op.Offset);
                image.Position = op.Offset;
                image.Write(op.Data!, 0, bytes);
                break;
            case SimOpKind.SetLength:
                image.SetLength(op.Offset);
                break;
        }
    }
}
