using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Threading.Channels;
using PiHub.Server.Metrics;

namespace PiHub.Server.WebSockets;

/// <summary>
/// One queued message: raw JSON, or an event payload shared by every subscriber and wrapped with the subscription id here.
/// <paramref name="RaisedAt"/>: the event's <see cref="Core.Hub.HubEvent.RaisedAt"/> (0: not an event, not timed).
/// </summary>
internal readonly record struct WsOutgoing(ReadOnlyMemory<byte> Payload, int SubscriptionId = 0, bool IsEvent = false, long RaisedAt = 0);

/// <summary>
/// A connection's bounded send queue and the single loop that writes it. A client that stops
/// reading fills the queue — <see cref="MaxPending"/> messages or <see cref="MaxPendingBytes"/> bytes, whichever
/// comes first — and is dropped: memory never grows with a slow client. With coalescing on, queued messages leave
/// as one JSON array frame.
/// </summary>
internal sealed class WsOutbox
{
    public const int MaxPending = 4096;

    /// <summary>Bytes a connection may have queued; one message is always let through, however large.</summary>
    public const long MaxPendingBytes = 4 * 1024 * 1024;

    private const int MaxFrameBytes = 256 * 1024;

    // Unbounded with one reader: its writes take no lock shared with the reader, unlike the bounded channel's,
    // and every event is posted to every subscriber's queue. The bound is counted here instead.
    private readonly Channel<WsOutgoing> _queue = Channel.CreateUnbounded<WsOutgoing>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });

    private readonly Action<string> _overflow;
    private readonly HubInstruments? _metrics;

    // The raise times of the events in the frame being built: reused, so timing a delivery allocates nothing.
    private readonly List<long> _raisedAt = [];
    private long _queuedBytes;
    private int _queuedCount;

    /// <summary><paramref name="overflow"/> gets the reason, for the close frame; <paramref name="metrics"/> (optional) times event deliveries.</summary>
    public WsOutbox(Action<string> overflow, HubInstruments? metrics = null)
    {
        _overflow = overflow;
        _metrics = metrics;
    }

    /// <summary>Set once the client sent <c>supported_features</c> with <c>coalesce_messages</c>.</summary>
    public bool Coalesce { get; set; }

    /// <summary>Queues without waiting; on a full queue the connection is dropped.</summary>
    public void Post(WsOutgoing message)
    {
        var queued = Interlocked.Add(ref _queuedBytes, message.Payload.Length);
        if (queued > MaxPendingBytes && queued > message.Payload.Length)
        {
            Overflow($"over {MaxPendingBytes / (1024 * 1024)} MiB of messages queued");
            return;
        }

        if (Interlocked.Increment(ref _queuedCount) > MaxPending)
        {
            Overflow($"over {MaxPending} messages queued");
            return;
        }

        _queue.Writer.TryWrite(message);
    }

    private void Overflow(string what)
    {
        if (_queue.Writer.TryComplete()) _overflow(what);
    }

    public void Complete() => _queue.Writer.TryComplete();

    /// <summary>Writes until the queue completes or the socket fails; <paramref name="cancellationToken"/> aborts the socket.</summary>
    public async Task RunAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        // One registration for the connection's life rather than one per wait and per send: cancelling
        // ends the queue and aborts the socket, which fails a send in progress. Sends then take the
        // WebSocket's non-cancellable path, the cheaper one, for every frame.
        using var stop = cancellationToken.UnsafeRegister(static (state, _) =>
        {
            var (outbox, ws) = ((WsOutbox, WebSocket))state!;
            outbox.Complete();
            ws.Abort();
        }, (this, socket));
        var frame = new ArrayBufferWriter<byte>(16 * 1024);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            while (reader.TryRead(out var first))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var taken = (long)first.Payload.Length;
                var count = 1;
                frame.ResetWrittenCount();
                if (Coalesce && reader.TryPeek(out _))
                {
                    frame.Write("["u8);
                    Append(frame, first);
                    while (frame.WrittenCount < MaxFrameBytes && reader.TryRead(out var next))
                    {
                        taken += next.Payload.Length;
                        count++;
                        frame.Write(","u8);
                        Append(frame, next);
                    }

                    frame.Write("]"u8);
                }
                else
                {
                    Append(frame, first);
                }

                Interlocked.Add(ref _queuedBytes, -taken);
                Interlocked.Add(ref _queuedCount, -count);
                RecordDeliveries();
                await socket.SendAsync(frame.WrittenMemory, WebSocketMessageType.Text, true, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The frame is about to be handed to the socket: each event in it has been delivered.</summary>
    private void RecordDeliveries()
    {
        if (_raisedAt.Count == 0) return;
        var now = Stopwatch.GetTimestamp();
        foreach (var raisedAt in _raisedAt) _metrics!.RecordDelivery(raisedAt, now);
        _metrics!.CountDeliveries(_raisedAt.Count);
        _raisedAt.Clear();
    }

    private void Append(ArrayBufferWriter<byte> frame, WsOutgoing message)
    {
        if (message.RaisedAt != 0 && _metrics is not null) _raisedAt.Add(message.RaisedAt);
        if (!message.IsEvent)
        {
            frame.Write(message.Payload.Span);
            return;
        }

        frame.Write("{\"id\":"u8);
        Span<byte> digits = stackalloc byte[11];
        System.Buffers.Text.Utf8Formatter.TryFormat(message.SubscriptionId, digits, out var n);
        frame.Write(digits[..n]);
        frame.Write(",\"type\":\"event\",\"event\":"u8);
        frame.Write(message.Payload.Span);
        frame.Write("}"u8);
    }
}
