using System.Collections.Immutable;
using Microsoft.Extensions.Logging;

namespace PiHub.Core.Recorder;

/// <summary>
/// What the recorder holds in memory: the records waiting for the next commit (bounded by
/// <see cref="RecorderOptions.MaxPending"/>, oldest dropped first), their sequence numbers and
/// the live listeners that see each record as it is recorded.
/// </summary>
internal sealed class RecorderQueue
{
    private readonly Lock _gate = new();
    private readonly int _maxPending;
    private readonly ILogger _logger;
    private List<Recorded> _pending = [];
    private ImmutableArray<Action<Recorded>> _listeners = [];
    private long _sequence;
    private long _dropped;

    public RecorderQueue(int maxPending, ILogger logger)
    {
        _maxPending = maxPending;
        _logger = logger;
    }

    /// <summary>Records waiting for the next commit.</summary>
    public int Count
    {
        get
        {
            lock (_gate) return _pending.Count;
        }
    }

    /// <summary>Records dropped because the store could not be written for too long.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Numbers <paramref name="record"/>, queues it and hands it to every listener (outside the lock).</summary>
    public void Enqueue(Recorded record)
    {
        ImmutableArray<Action<Recorded>> listeners;
        lock (_gate)
        {
            record = record with { Sequence = ++_sequence };
            _pending.Add(record);
            Trim();
            listeners = _listeners;
        }

        foreach (var listener in listeners)
        {
            try
            {
                listener(record);
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "A history listener failed; the record is still kept");
            }
        }
    }

    /// <summary>Adds a listener; <paramref name="sequence"/> is the last sequence number recorded before it.</summary>
    public IDisposable Subscribe(Action<Recorded> listener, out long sequence)
    {
        lock (_gate)
        {
            _listeners = _listeners.Add(listener);
            sequence = _sequence;
        }

        return new Listener(this, listener);
    }

    /// <summary>A copy of what waits, and the last sequence number it covers.</summary>
    public (List<Recorded> Pending, long Sequence) Copy()
    {
        lock (_gate) return ([.. _pending], _sequence);
    }

    /// <summary>Takes everything waiting (empty when nothing is); <see cref="PutBack"/> returns it when the commit fails.</summary>
    public List<Recorded> TakeAll()
    {
        lock (_gate)
        {
            if (_pending.Count == 0) return [];
            var batch = _pending;
            _pending = [];
            return batch;
        }
    }

    /// <summary>Returns a batch that was not written to the front of the queue, keeping the bound.</summary>
    public void PutBack(List<Recorded> batch)
    {
        lock (_gate)
        {
            batch.AddRange(_pending);
            _pending = batch;
            Trim();
        }
    }

    /// <summary>Drops the oldest tenth when over the limit (called under the lock).</summary>
    private void Trim()
    {
        if (_pending.Count <= _maxPending) return;
        var drop = Math.Max(1, _maxPending / 10);
        _pending.RemoveRange(0, drop);
        Interlocked.Add(ref _dropped, drop);
    }

    private void Unsubscribe(Action<Recorded> listener)
    {
        lock (_gate)
        {
            _listeners = _listeners.Remove(listener);
        }
    }

    private sealed class Listener(RecorderQueue queue, Action<Recorded> listener) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) queue.Unsubscribe(listener);
        }
    }
}
