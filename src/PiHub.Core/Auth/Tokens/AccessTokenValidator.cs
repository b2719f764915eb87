using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using Microsoft.Extensions.Logging;
using PiHub.Core.Auth.Model;
using PiHub.Core.Auth.Storage;
using PiHub.Core.Auth.Validation;

namespace PiHub.Core.Auth.Tokens;

/// <summary>
/// Checks the bearer access token of every REST request and WebSocket, and remembers when each refresh token was
/// last used. Owns the cache of verified tokens, the in-memory "last used" times (written to the store at most once
/// per token per <see cref="AuthOptions.LastUsedWriteInterval"/>, to spare the SD card) and the writes in flight.
/// </summary>
public sealed class AccessTokenValidator
{
    // Verified tokens by their text; a hit still checks expiry, the refresh token and the user.
    private const int MaxCachedAccessTokens = 10_000;

    private readonly AuthManager _auth;
    private readonly IAccessTokenCodec _codec;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, CachedAccess> _accessCache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, LastUse> _lastUse = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, byte> _inFlightWrites = new();

    internal AccessTokenValidator(AuthManager auth, IAccessTokenCodec codec, ILogger logger)
    {
        _auth = auth;
        _codec = codec;
        _logger = logger;
    }

    /// <summary>
    /// Authenticates a bearer access token: its refresh token (by <c>iss</c>) must exist and not be
    /// expired, the signature must verify with that token's key, <c>exp</c> must be in the future and
    /// the user must be active. Verified tokens are cached until they expire; revocation takes effect
    /// at once because every hit re-checks the refresh token. Safe on the hot path of every request.
    /// </summary>
    public bool TryAuthenticate(string? accessToken, [NotNullWhen(true)] out AuthenticatedPrincipal? principal) =>
        TryAuthenticate(accessToken, null, out principal);

    /// <summary>As <see cref="TryAuthenticate(string?, out AuthenticatedPrincipal?)"/>, recording the use and its address.</summary>
    public bool TryAuthenticate(string? accessToken, IPAddress? clientAddress,
        [NotNullWhen(true)] out AuthenticatedPrincipal? principal) =>
        TryAuthenticate(accessToken, clientAddress, out principal, out _);

    /// <summary>
    /// As <see cref="TryAuthenticate(string?, IPAddress?, out AuthenticatedPrincipal?)"/>. A token whose refresh token
    /// came from a trusted-network login works only from inside that network, like the refresh token itself; used from
    /// elsewhere it is refused and <paramref name="onlyInsideNetwork"/> names the network (null for any other refusal).
    /// </summary>
    public bool TryAuthenticate(string? accessToken, IPAddress? clientAddress,
        [NotNullWhen(true)] out AuthenticatedPrincipal? principal, out string? onlyInsideNetwork)
    {
        principal = null;
        onlyInsideNetwork = null;
        if (string.IsNullOrEmpty(accessToken) || accessToken.Length > 8192) return false;
        var now = _auth.Now;
        var data = _auth.Data;

        if (_accessCache.TryGetValue(accessToken, out var cached))
        {
            if (now >= cached.ExpiresAt || !data.RefreshTokens.ContainsKey(cached.RefreshTokenId))
            {
                _accessCache.TryRemove(accessToken, out _);
                return false;
            }

            return Admit(data, cached.RefreshTokenId, cached.ExpiresAt, now, clientAddress, out principal, out onlyInsideNetwork);
        }

        if (!_codec.TryReadIssuer(accessToken, out var issuer)
            || !data.RefreshTokens.TryGetValue(issuer, out var token)
            || !_codec.TryVerify(accessToken, token, out var expiresAt)
            || now >= expiresAt)
        {
            return false;
        }

        if (!Admit(data, token.Id, expiresAt, now, clientAddress, out principal, out onlyInsideNetwork)) return false;
        if (_accessCache.Count >= MaxCachedAccessTokens) PruneAccessCache(now);
        _accessCache[accessToken] = new CachedAccess(token.Id, expiresAt);
        return true;
    }

    /// <summary>
    /// Lets the REST and WebSocket layers report a refused bearer token (missing, bad, expired) so it is
    /// counted like a failed login through <see cref="AuthManager.LoginFailed"/>. Kept out of
    /// <see cref="TryAuthenticate(string?, IPAddress?, out AuthenticatedPrincipal?)"/> so a caller that only
    /// probes a token (e.g. an optional-auth endpoint) does not count as an attack.
    /// </summary>
    public void ReportRefused(IPAddress? clientAddress, string reason = "invalid_access_token") =>
        _auth.RaiseLoginFailed(new LoginFailure(clientAddress, null, reason));

    /// <summary>Writes every "last used" the store does not have yet (shutdown, tests).</summary>
    public async Task FlushLastUsedAsync(CancellationToken cancellationToken = default)
    {
        foreach (var write in _inFlightWrites.Keys)
        {
            try
            {
                await write.ConfigureAwait(false);
            }
            catch (AuthException)
            {
                // Already logged by the write's continuation; the entry stays dirty and is retried below.
            }
        }

        foreach (var (id, use) in _lastUse)
        {
            if (use.At > use.PersistedAt) await PersistUseAsync(id, use, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Records a use (a refresh grant) and writes it now when a write is due.</summary>
    internal async Task NoteUseAsync(RefreshToken token, IPAddress? clientAddress, DateTimeOffset now)
    {
        if (NoteUse(token, clientAddress, now) is { } due)
        {
            await PersistUseAsync(token.Id, due, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>The token with the newest "last used" seen in memory, which may be ahead of the store.</summary>
    internal RefreshToken WithLastUse(RefreshToken token) =>
        _lastUse.TryGetValue(token.Id, out var use) && (token.LastUsedAt is null || use.At > token.LastUsedAt)
            ? token with { LastUsedAt = use.At, LastUsedIp = use.Ip }
            : token;

    /// <summary>The newest use of the token, stored or seen in memory.</summary>
    internal DateTimeOffset LastUsedAt(RefreshToken token)
    {
        var lastUsed = token.LastUsedAt ?? token.CreatedAt;
        return _lastUse.TryGetValue(token.Id, out var use) && use.At > lastUsed ? use.At : lastUsed;
    }

    /// <summary>Drops the in-memory "last used" of a token that no longer works.</summary>
    internal void Forget(string refreshTokenId) => _lastUse.TryRemove(refreshTokenId, out _);

    private bool Admit(AuthData data, string refreshTokenId, DateTimeOffset expiresAt, DateTimeOffset now,
        IPAddress? clientAddress, [NotNullWhen(true)] out AuthenticatedPrincipal? principal, out string? onlyInsideNetwork)
    {
        principal = null;
        onlyInsideNetwork = null;
        if (!data.RefreshTokens.TryGetValue(refreshTokenId, out var token)
            || (token.ExpireAt is { } tokenEnd && now >= tokenEnd)
            || !data.Users.TryGetValue(token.UserId, out var user)
            || !user.IsActive)
        {
            return false;
        }

        // A trusted-network login proved only the address; its tokens must not work from anywhere else.
        if (token.TrustedNetwork is { } network && !NetworkLocality.IsInNetwork(clientAddress, network))
        {
            onlyInsideNetwork = network;
            return false;
        }

        principal = new AuthenticatedPrincipal(user, token, expiresAt);
        if (NoteUse(token, clientAddress, now) is { } due)
        {
            // Off the request thread: a store flush must not delay this request, and a failed
            // "last used" write (best effort) must not fail it.
            var write = Task.Run(() => PersistUseAsync(token.Id, due, CancellationToken.None));
            _inFlightWrites.TryAdd(write, 0);
            _ = write.ContinueWith(t =>
            {
                _inFlightWrites.TryRemove(t, out _);
                if (t.IsFaulted) _logger.LogWarning(t.Exception, "Could not record the last use of token {TokenId}", token.Id);
            }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }

        return true;
    }

    /// <summary>Records a use in memory; returns the entry when a store write is due (and marks it writing), else null.</summary>
    private LastUse? NoteUse(RefreshToken token, IPAddress? clientAddress, DateTimeOffset now)
    {
        var use = _lastUse.GetOrAdd(token.Id, static (_, t) => new LastUse
        {
            At = t.LastUsedAt ?? t.CreatedAt,
            Ip = t.LastUsedIp,
            PersistedAt = t.LastUsedAt ?? t.CreatedAt,
        }, token);
        lock (use)
        {
            if (now > use.At)
            {
                use.At = now;
                use.Ip = clientAddress?.ToString() ?? use.Ip;
            }

            if (use.Writing != 0 || now - use.PersistedAt < _auth.Options.LastUsedWriteInterval) return null;
            use.Writing = 1;
        }

        return use;
    }

    private async Task PersistUseAsync(string tokenId, LastUse use, CancellationToken cancellationToken)
    {
        DateTimeOffset at;
        string? ip;
        lock (use)
        {
            at = use.At;
            ip = use.Ip;
            use.Writing = 1;
        }

        try
        {
            await _auth.MutateAsync(data => data.RefreshTokens.TryGetValue(tokenId, out var current)
                    && (current.LastUsedAt is null || current.LastUsedAt < at)
                ? new AuthChangeSet($"record last use of token {tokenId}")
                    .Put(current with { LastUsedAt = at, LastUsedIp = ip })
                : null, cancellationToken).ConfigureAwait(false);
            lock (use) use.PersistedAt = at;
        }
        finally
        {
            lock (use) use.Writing = 0;
        }
    }

    private void PruneAccessCache(DateTimeOffset now)
    {
        var data = _auth.Data;
        foreach (var (key, value) in _accessCache)
        {
            if (now >= value.ExpiresAt || !data.RefreshTokens.ContainsKey(value.RefreshTokenId))
            {
                _accessCache.TryRemove(key, out _);
            }
        }

        if (_accessCache.Count >= MaxCachedAccessTokens) _accessCache.Clear();
    }
}
