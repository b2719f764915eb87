using Microsoft.Extensions.Logging.Abstractions;
using PiHub.Core.Recorder;

namespace PiHub.Core.Tests.Recorder;

public sealed class RecorderQueueTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private static EventRecord Event(int n) => new($"e{n}", "{}", "LOCAL", T0.AddSeconds(n), PiHub.Core.Hub.HubContext.New(), null);

    [Test]
    public void Enqueue_OverTheBound_OldestTenthDroppedAndCounted()
    {
        var queue = new RecorderQueue(maxPending: 10, NullLogger.Instance);

        for (var i = 0; i < 11; i++) queue.Enqueue(Event(i));

        var (pending, sequence) = queue.Copy();
        Assert.That(pending.Select(r => ((EventRecord)r).EventType).First(), Is.EqualTo("e1"));
        Assert.That(queue.Count, Is.EqualTo(10));
        Assert.That(queue.Dropped, Is.EqualTo(1));
        Assert.That(sequence, Is.EqualTo(11));
    }

    [Test]
    public void PutBack_FailedBatch_BeforeWhatCameMeanwhile()
    {
        var queue = new RecorderQueue(maxPending: 100, NullLogger.Instance);
        queue.Enqueue(Event(1));
        var batch = queue.TakeAll();
        queue.Enqueue(Event(2));

        queue.PutBack(batch);

        Assert.That(queue.TakeAll().Select(r => ((EventRecord)r).EventType), Is.EqualTo(new[] { "e1", "e2" }));
        Assert.That(queue.TakeAll(), Is.Empty);
    }

    [Test]
    public void Subscribe_FailingListener_OthersStillCalledAndRecordKept()
    {
        var queue = new RecorderQueue(maxPending: 100, NullLogger.Instance);
        var seen = new List<long>();
        using var failing = queue.Subscribe(_ => throw new InvalidOperationException("listener bug"), out _);
        var listener = queue.Subscribe(r => seen.Add(r.Sequence), out var before);

        queue.Enqueue(Event(1));
        listener.Dispose();
        queue.Enqueue(Event(2));

        Assert.That(before, Is.EqualTo(0));
        Assert.That(seen, Is.EqualTo(new[] { 1L }));
        Assert.That(queue.Count, Is.EqualTo(2));
    }
}
