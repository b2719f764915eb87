using System.Net;
using System.Net.WebSockets;
using PiHub.Core.Auth.Validation;

namespace PiHub.Server.WebSockets;

/// <summary>
/// How many WebSockets the hub holds open, per client (its <see cref="ClientBudgetKey"/>: the address, or the IPv6 /64)
/// and in all, and how many have not authenticated yet. An open socket costs a Kestrel connection, buffers and an
/// outbox, so without caps one address could hold thousands and starve a 1 GB Pi. The owner is always served: the
/// hub-wide cap is checked when a socket authenticates, and an owner's socket passes it; a client with an open owner
/// socket, and the hub itself (127.0.0.1, ::1), skip the per-address caps. When too many sockets wait in the auth phase
/// hub-wide, the oldest gives way, so a new client that authenticates at once (as every app does) still gets in.
/// </summary>
internal sealed class WsConnectionBudget
{
    /// <summary>Open sockets per client: a household's browsers, tablets and apps on one address stay far below it.</summary>
    public const int PerAddress = 32;

    /// <summary>Sockets per client still in the auth phase (at most 10 s each).</summary>
    public const int UnauthenticatedPerAddress = 8;

    /// <summary>Authenticated sockets on the whole hub, the owner's aside: well under 100 MB even with full outboxes.</summary>
    public const int HubWide = 512;

    /// <summary>Sockets in the auth phase on the whole hub; past it the oldest is closed to make room.</summary>
    public const int UnauthenticatedHubWide = 128;

    /// <summary>"Try again later": clients reconnect after it rather than treating it as bad credentials.</summary>
    public const WebSocketCloseStatus TryAgainLater = (WebSocketCloseStatus)1013;

    private readonly object _gate = new();
    private readonly Dictionary<string, (int Open, int Waiting)> _byClient = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _ownerSockets = new(StringComparer.Ordinal);
    private readonly LinkedList<WsConnectionSlot> _waiting = [];
    private int _authenticated;

    /// <summary>
    /// Takes a slot for a new socket from <paramref name="client"/>, or returns null with <paramref name="refusal"/>
    /// saying why (answered with 429 before the upgrade, so nothing is allocated).
    /// </summary>
    public WsConnectionSlot? TryEnter(IPAddress client, out string refusal)
    {
        refusal = "";
        var key = ClientBudgetKey.Of(client);
        WsConnectionSlot? evicted = null;
        WsConnectionSlot slot;
        lock (_gate)
        {
            var (open, waiting) = _byClient.GetValueOrDefault(key);
            var alwaysServed = IsAlwaysServed(client, key);
            if (!alwaysServed && open >= PerAddress)
            {
                refusal = $"{key} has {PerAddress} WebSockets open to this hub, the most one address may; close some (each browser tab holds one) and retry.";
                return null;
            }

            if (!alwaysServed && waiting >= UnauthenticatedPerAddress)
            {
                refusal = $"{key} has {UnauthenticatedPerAddress} WebSockets that have not authenticated yet, the most one address may; " +
                          "send {\"type\":\"auth\",\"access_token\":\"…\"} on them first, then retry.";
                return null;
            }

            if (_waiting.Count >= UnauthenticatedHubWide)
            {
                evicted = _waiting.First!.Value;
                LeaveQueue(evicted);
            }

            slot = new WsConnectionSlot(key, alwaysServed) { Node = null };
            slot.Node = _waiting.AddLast(slot);
            _byClient[key] = (open + 1, waiting + 1);
        }

        evicted?.Connection?.Close(TryAgainLater, "Too many WebSockets are waiting to authenticate on this hub; reconnect and authenticate at once.");
        return slot;
    }

    /// <summary>
    /// Moves a slot out of the auth phase; null when it may stay, else why it must close (the hub holds
    /// <see cref="HubWide"/> authenticated sockets and this is not the owner's nor the hub's own).
    /// </summary>
    public string? Authenticated(WsConnectionSlot slot, bool isOwner)
    {
        lock (_gate)
        {
            if (!isOwner && !slot.AlwaysServed && _authenticated >= HubWide)
            {
                return $"The hub serves {HubWide} WebSockets, the most it holds; retry in a minute.";
            }

            LeaveQueue(slot);
            slot.IsAuthenticated = true;
            _authenticated++;
            if (isOwner)
            {
                slot.IsOwner = true;
                _ownerSockets[slot.Key] = _ownerSockets.GetValueOrDefault(slot.Key) + 1;
            }

            return null;
        }
    }

    /// <summary>Gives a slot back when its socket ends.</summary>
    public void Exit(WsConnectionSlot slot)
    {
        lock (_gate)
        {
            LeaveQueue(slot);
            if (slot.IsAuthenticated) _authenticated--;
            if (slot.IsOwner && --_ownerSockets[slot.Key] == 0) _ownerSockets.Remove(slot.Key);
            var (open, waiting) = _byClient.GetValueOrDefault(slot.Key);
            if (open <= 1) _byClient.Remove(slot.Key);
            else _byClient[slot.Key] = (open - 1, waiting);
        }
    }

    /// <summary>Takes a slot out of the auth-phase queue and counts (once).</summary>
    private void LeaveQueue(WsConnectionSlot slot)
    {
        if (slot.Node is null) return;
        _waiting.Remove(slot.Node);
        slot.Node = null;
        var (open, waiting) = _byClient[slot.Key];
        _byClient[slot.Key] = (open, waiting - 1);
    }

    private bool IsAlwaysServed(IPAddress client, string key) =>
        client.Equals(IPAddress.Loopback) || client.Equals(IPAddress.IPv6Loopback) || _ownerSockets.ContainsKey(key);
}

/// <summary>One socket's place in <see cref="WsConnectionBudget"/>.</summary>
internal sealed class WsConnectionSlot(string key, bool alwaysServed)
{
    public string Key { get; } = key;

    /// <summary>From the hub itself or an address with an open owner socket when it connected.</summary>
    public bool AlwaysServed { get; } = alwaysServed;

    /// <summary>The connection, once accepted (closed when a newer one needs its place in the auth phase).</summary>
    public WsConnection? Connection { get; set; }

    /// <summary>Its place among the sockets in the auth phase; null once out of it.</summary>
    internal LinkedListNode<WsConnectionSlot>? Node { get; set; }

    internal bool IsAuthenticated { get; set; }

    internal bool IsOwner { get; set; }
}
