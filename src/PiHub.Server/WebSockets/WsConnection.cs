using System.Buffers;
using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using PiHub.Core.Hub;
using PiHub.Server.Auth;
using PiHub.Server.Http;

namespace PiHub.Server.WebSockets;

/// <summary>
/// One WebSocket client: the auth phase, then commands in order of arrival. Every exit path
/// closes the socket with a reason a person can read.
/// </summary>
internal sealed class WsConnection
{
    public const int MaxMessageBytes = 1024 * 1024;
    public static readonly TimeSpan AuthTimeout = TimeSpan.FromSeconds(10);
    private const int InboxBytes = 4 * 1024;

    private readonly WebSocket _socket;
    private readonly WsContext _services;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _lifetime;
    private ArrayBufferWriter<byte>? _inbox;
    private readonly Dictionary<int, IDisposable> _subscriptions = [];
    private (WebSocketCloseStatus Status, string Reason)? _closeReason;
    private int _lastId;
    private Core.Auth.Storage.AuthData? _principalData;

    public WsConnection(WebSocket socket, IPAddress client, WsContext services, CancellationToken aborted)
    {
        _socket = socket;
        Client = client;
        _services = services;
        _logger = services.Logger;
        _lifetime = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        Outbox = new WsOutbox(what => Close(WebSocketCloseStatus.PolicyViolation, $"Client unable to keep up with pending messages ({what}); reconnect.", abort: true),
            services.Services.GetService<Metrics.HubInstruments>());
    }

    public IPAddress Client { get; }

    /// <summary>This socket's place in <see cref="WsConnectionBudget"/>.</summary>
    public WsConnectionSlot? Slot { get; init; }

    public ApiPrincipal? Principal { get; private set; }

    public WsOutbox Outbox { get; }

    public HubCore Hub => _services.Hub;

    public IServiceProvider Services => _services.Services;

    /// <summary>
    /// Ends the connection from any thread, e.g. when its refresh token is revoked: queued messages
    /// and a close frame with the reason leave first. <paramref name="abort"/> drops at once (a
    /// client that stopped reading can't take a close frame either).
    /// </summary>
    public void Close(WebSocketCloseStatus status, string reason, bool abort = false)
    {
        _closeReason ??= (status, reason);
        Outbox.Complete();
        try
        {
            if (abort) _lifetime.Cancel();
            else _lifetime.CancelAfter(TimeSpan.FromSeconds(5));
        }
        catch (ObjectDisposedException)
        {
            // Already finished.
        }
    }

    public async Task RunAsync()
    {
        var token = _lifetime.Token;
        Post(WsMessages.AuthRequired());
        var writer = WriteLoopAsync(token);
        try
        {
            if (await AuthenticateAsync(token).ConfigureAwait(false))
            {
                History.CallerAttribution.Enter(Principal!, Services);
                _services.Registry.Add(this);
                await CommandLoopAsync(token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Closed by Close(), the auth timeout or the server shutting down.
        }
        catch (WebSocketException ex)
        {
            _logger.LogDebug(ex, "WebSocket from {Client} ended abruptly", Client);
        }
        catch (WsCloseException ex)
        {
            _closeReason ??= (ex.Status, ex.Message);
        }
        finally
        {
            _services.Registry.Remove(this);
            foreach (var s in _subscriptions.Values) s.Dispose();
            if (_subscriptions.Count > 0) Registry.Subscriptions.Count(Principal!.User.Id, -_subscriptions.Count);
            _subscriptions.Clear();
            await FinishAsync(writer).ConfigureAwait(false);
        }
    }

    private async Task WriteLoopAsync(CancellationToken token)
    {
        await Outbox.RunAsync(_socket, token).ConfigureAwait(false);
        if (_closeReason is { } r && _socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            await _socket.CloseOutputAsync(r.Status, WsText.Trim(r.Reason), token).ConfigureAwait(false);
        }
    }

    private async Task<bool> AuthenticateAsync(CancellationToken token)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
        timeout.CancelAfter(AuthTimeout);
        ReadOnlyMemory<byte>? message;
        try
        {
            message = await ReceiveAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!token.IsCancellationRequested)
        {
            throw new WsCloseException(WebSocketCloseStatus.PolicyViolation, $"No auth message within {AuthTimeout.TotalSeconds:0} s; send {{\"type\":\"auth\",\"access_token\":\"…\"}} first.");
        }

        if (message is null) return false;
        string? accessToken = null;
        var wellFormed = false;
        try
        {
            using var doc = JsonDocument.Parse(message.Value);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.ValueEquals("auth"))
            {
                wellFormed = true;
                if (root.TryGetProperty("access_token", out var t) && t.ValueKind == JsonValueKind.String) accessToken = t.GetString();
                else if (t.ValueKind is not JsonValueKind.Undefined and not JsonValueKind.Null)
                {
                    return Refuse($"access_token must be a string (the token's text), not {WsText.Describe(t.ValueKind)}; send {{\"type\":\"auth\",\"access_token\":\"…\"}}.");
                }
                else if (root.TryGetProperty("api_password", out _))
                {
                    return Refuse("api_password is not supported: create a long-lived access token in your profile and send it as access_token.");
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a token that is not valid UTF-8 text.
            wellFormed = false;
        }

        if (!wellFormed) return Refuse("Auth message incorrectly formatted: the first message must be {\"type\":\"auth\",\"access_token\":\"…\"}.");
        if (!_services.Authenticator.TryAuthenticate(accessToken, Client, out var principal, out var failure)) return Refuse(failure);
        if (Slot is { } slot && _services.Registry.Connections.Authenticated(slot, principal.User.IsOwner) is { } full)
        {
            // Not auth_invalid: the credentials are fine, and clients drop their tokens on that. 1013 makes them retry.
            throw new WsCloseException(WsConnectionBudget.TryAgainLater, full);
        }

        Principal = principal;
        Post(WsMessages.AuthOk());
        _logger.LogInformation("WebSocket client {Client} authenticated as {User} via {Method}", Client, principal.User.Name, principal.Method);
        return true;
    }

    private bool Refuse(string message)
    {
        Post(WsMessages.AuthInvalid(message));
        _closeReason ??= (WebSocketCloseStatus.PolicyViolation, "Authentication failed");
        return false;
    }

    private async Task CommandLoopAsync(CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            var message = await ReceiveAsync(token).ConfigureAwait(false);
            if (message is null) return;
            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(message.Value, new JsonDocumentOptions { MaxDepth = 64 });
            }
            catch (JsonException ex)
            {
                throw new WsCloseException(WebSocketCloseStatus.InvalidPayloadData, WsText.Trim($"Invalid JSON: {ex.Message}"));
            }

            using (doc)
            {
                // Refused here, a bad string never reaches the state machine or the event bus.
                if (JsonText.FindInvalid(message.Value.Span, doc.RootElement) is { } path)
                {
                    RefuseInvalidText(doc.RootElement, path);
                    continue;
                }

                await WsCommands.DispatchAsync(this, doc.RootElement, token).ConfigureAwait(false);
            }
        }
    }

    private void RefuseInvalidText(JsonElement root, string path)
    {
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("id", out var id) && id.TryGetInt32(out var number))
        {
            PostError(number, ApiErrorCodes.InvalidFormat, JsonText.Describe(path));
            return;
        }

        throw new WsCloseException(WebSocketCloseStatus.InvalidPayloadData, WsText.Trim(JsonText.Describe(path)));
    }

    /// <summary>Checks that ids increase, as Home Assistant requires; false (after an error reply) when not.</summary>
    public bool AcceptId(int id)
    {
        if (id <= _lastId)
        {
            PostError(id, ApiErrorCodes.IdReuse, "Identifier values have to increase.");
            return false;
        }

        _lastId = id;
        return true;
    }

    /// <summary>
    /// Brings <see cref="Principal"/> up to date with the auth data as it is now; false, with the connection
    /// closing and saying why, when the user may no longer use it.
    /// </summary>
    public bool RefreshPrincipal()
    {
        var data = _services.Auth.Data;
        if (ReferenceEquals(data, _principalData)) return true;
        if (WsPrincipalCheck.Current(Principal!, data, Client, out var reason) is not { } current)
        {
            Close(WebSocketCloseStatus.PolicyViolation, reason);
            return false;
        }

        Principal = current;
        _principalData = data;
        return true;
    }

    /// <summary>Subscriptions this connection holds (see <see cref="WsSubscriptionLimits"/>).</summary>
    public int SubscriptionCount => _subscriptions.Count;

    internal WsRegistry Registry => _services.Registry;

    /// <summary>Keeps a subscription until it is unsubscribed or the connection ends; only commands marked as subscribing call this.</summary>
    public void AddSubscription(int id, IDisposable subscription)
    {
        _subscriptions.Add(id, subscription);
        Registry.Subscriptions.Count(Principal!.User.Id, +1);
    }

    public bool RemoveSubscription(int id)
    {
        if (!_subscriptions.Remove(id, out var s)) return false;
        s.Dispose();
        Registry.Subscriptions.Count(Principal!.User.Id, -1);
        return true;
    }

    public void Post(byte[] json) => Outbox.Post(new WsOutgoing(json));

    /// <summary>Answers command <paramref name="id"/> with success and a null result.</summary>
    public void PostResult(int id) => Post(WsMessages.Result(id));

    /// <summary>Answers command <paramref name="id"/> with success and a DTO as the result.</summary>
    public void PostResult<T>(int id, T result, JsonTypeInfo<T> type) => Post(WsMessages.Result(id, result, type));

    /// <summary>Answers command <paramref name="id"/> with an error: a code from <see cref="ApiErrorCodes"/> and a sentence saying what to do.</summary>
    public void PostError(int id, string code, string message) => Post(WsMessages.Error(id, code, message));

    /// <summary>Queues an event for subscription <paramref name="subscriptionId"/>; <paramref name="raisedAt"/> (the event's <see cref="HubEvent.RaisedAt"/>) times its delivery.</summary>
    public void PostEvent(int subscriptionId, ReadOnlyMemory<byte> payload, long raisedAt = 0) => Outbox.Post(new WsOutgoing(payload, subscriptionId, IsEvent: true, raisedAt));

    private async Task<ReadOnlyMemory<byte>?> ReceiveAsync(CancellationToken token)
    {
        // An idle socket holds no receive buffer (a zero-byte read waits for data), nor one grown by a large message.
        if (_inbox is { Capacity: > InboxBytes * 4 }) _inbox = null;
        var waited = await _socket.ReceiveAsync(Memory<byte>.Empty, token).ConfigureAwait(false);
        if (waited.MessageType == WebSocketMessageType.Close) return null;
        if (waited.EndOfMessage && waited.MessageType == WebSocketMessageType.Text) return ReadOnlyMemory<byte>.Empty; // an empty message
        var inbox = _inbox ??= new ArrayBufferWriter<byte>(InboxBytes);
        inbox.ResetWrittenCount();
        while (true)
        {
            var result = await _socket.ReceiveAsync(inbox.GetMemory(InboxBytes), token).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close) return null;
            if (result.MessageType == WebSocketMessageType.Binary)
            {
                throw new WsCloseException(WebSocketCloseStatus.InvalidMessageType, "Binary messages are not supported; send JSON text.");
            }

            inbox.Advance(result.Count);
            if (inbox.WrittenCount > MaxMessageBytes)
            {
                throw new WsCloseException(WebSocketCloseStatus.MessageTooBig, "Message larger than 1 MiB; split the request.");
            }

            if (result.EndOfMessage) return inbox.WrittenMemory;
        }
    }

    private async Task FinishAsync(Task writer)
    {
        Outbox.Complete();
        try
        {
            // Let queued replies (auth_invalid, the last results) leave before closing.
            await writer.WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException or WebSocketException)
        {
            _logger.LogDebug("WebSocket writer for {Client} stopped: {Reason}", Client, ex.Message);
        }

        var (status, reason) = _closeReason ?? (WebSocketCloseStatus.NormalClosure, "");
        try
        {
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(status, WsText.Trim(reason), cts.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            _socket.Abort();
        }

        if (_closeReason is { } r) _logger.LogInformation("Closed WebSocket from {Client}: {Reason}", Client, r.Reason);
        _lifetime.Dispose();
    }
}
