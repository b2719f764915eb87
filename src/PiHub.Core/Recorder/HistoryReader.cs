using Microsoft.Extensions.Logging;

namespace PiHub.Core.Recorder;

/// <summary>
/// Answers history reads from the store plus what still waits in the <see cref="RecorderQueue"/>. The store
/// gate is held only to capture both at one instant (no I/O); the read itself runs outside it, so a read of
/// <see cref="HistoryData.MaxItems"/> records never delays a commit or the power-fail flush.
/// </summary>
internal sealed class HistoryReader
{
    private readonly IHistoryStore? _store;
    private readonly RecorderQueue _queue;
    private readonly SemaphoreSlim _storeGate;
    private readonly ILogger _logger;

    public HistoryReader(IHistoryStore? store, RecorderQueue queue, SemaphoreSlim storeGate, ILogger logger)
    {
        _store = store;
        _queue = queue;
        _storeGate = storeGate;
        _logger = logger;
    }

    /// <summary>The data <paramref name="request"/> asks for and the last sequence number it covers.</summary>
    public async Task<(HistoryData Data, long Sequence)> ReadAsync(HistoryRead request, CancellationToken cancellationToken)
    {
        List<Recorded> pending;
        long sequence;
        Func<HistoryRead, HistoryData>? read;
        // Under the gate: no commit is half-way, so every record is either in the capture or in the queue, once.
        await _storeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            (pending, sequence) = _queue.Copy();
            read = _store?.CaptureReader();
        }
        finally
        {
            _storeGate.Release();
        }

        HistoryData data;
        try
        {
            data = read?.Invoke(request) ?? new HistoryData();
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Reading the history store failed; answering with the changes still in memory");
            data = new HistoryData();
        }

        foreach (var item in pending) Merge(data, request, item);
        if (data.Truncated)
        {
            _logger.LogWarning("A history read from {From:O} to {To:O} stopped at {Max} records; ask for fewer entities or a shorter period",
                request.From, request.To, HistoryData.MaxItems);
        }

        return (data, sequence);
    }

    /// <summary>Adds <paramref name="item"/> to <paramref name="data"/> where it belongs in the answer to <paramref name="request"/>.</summary>
    public static void Merge(HistoryData data, HistoryRead request, Recorded item)
    {
        switch (item)
        {
            case StateRecord s when request.Wants(s.EntityId):
                if (s.Time < request.From)
                {
                    if (request.StartStates) data.ApplyBefore(s);
                }
                else if (s.Time < request.To && request.States)
                {
                    data.Add(s);
                }

                break;
            case EventRecord e when request.Events && e.Time >= request.From && e.Time < request.To:
                data.Add(e);
                break;
        }
    }
}
