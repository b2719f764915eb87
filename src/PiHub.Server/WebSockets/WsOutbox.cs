using System.Buffers;
using System.Net.WebSockets;
using System.Threading.Channels;

namespace PiHub.Server.WebSockets;

/// <summary>One queued message: raw JSON, or an event payload shared by every subscriber and wrapped with the subscription id here.</summary>
internal readonly record struct WsOutgoing(ReadOnlyMemory<byte> Payload, int SubscriptionId = 0, bool IsEvent = false);

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

    private readonly Channel<WsOutgoing> _queue = Channel.CreateBounded<WsOutgoing>(
        new BoundedChannelOptions(MaxPending) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly Action<string> _overflow;
    private long _queuedBytes;

    /// <summary><paramref name="overflow"/> gets the reason, for the close frame.</summary>
    public WsOutbox(Action<string> overflow) => _overflow = overflow;

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

        if (!_queue.Writer.TryWrite(message)) Overflow($"over {MaxPending} messages queued");
    }

    private void Overflow(string what)
    {
        if (_queue.Writer.TryComplete()) _overflow(what);
    }

    public void Complete() => _queue.Writer.TryComplete();

    /// <summary>Writes until the queue completes or the socket fails.</summary>
    public async Task RunAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var frame = new ArrayBufferWriter<byte>(16 * 1024);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (reader.TryRead(out var first))
            {
                var taken = (long)first.Payload.Length;
                frame.ResetWrittenCount();
                if (Coalesce && reader.TryPeek(out _))
                {
                    frame.Write("["u8);
                    Append(frame, first);
                    while (frame.WrittenCount < MaxFrameBytes && reader.TryRead(out var next))
                    {
                        taken += next.Payload.Length;
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
                await socket.SendAsync(frame.WrittenMemory, WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static void Append(ArrayBufferWriter<byte> frame, WsOutgoing message)
    {
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
