using System.Net;
using PiHub.Core.Auth.Flows;
using PiHub.Core.Auth.Model;
using PiHub.Core.Auth.Storage;
using PiHub.Core.Auth.Validation;

namespace PiHub.Core.Auth.Tokens;

/// <summary>
/// What <c>/auth/token</c> and the token commands do: the authorization-code and refresh-token grants,
/// revocation, long-lived tokens, and listing or deleting a user's refresh tokens. Holds no state of its own:
/// auth codes belong to <see cref="LoginFlowManager"/>, "last used" times to <see cref="AccessTokenValidator"/>.
/// </summary>
public sealed class TokenService
{
    private readonly AuthManager _auth;
    private readonly IAccessTokenCodec _codec;
    private readonly LoginFlowManager _flows;
    private readonly AccessTokenValidator _accessTokens;

    internal TokenService(AuthManager auth, IAccessTokenCodec codec, LoginFlowManager flows,
        AccessTokenValidator accessTokens)
    {
        _auth = auth;
        _codec = codec;
        _flows = flows;
        _accessTokens = accessTokens;
    }

    /// <summary>
    /// <c>grant_type=authorization_code</c>: exchanges a single-use auth code (10 minutes, bound to
    /// <paramref name="clientId"/>) for a new refresh token and its first access token.
    /// </summary>
    public async Task<TokenGrant> ExchangeAuthCodeAsync(string? clientId, string? code, IPAddress? clientAddress,
        CancellationToken cancellationToken = default)
    {
        ClientIdRules.EnsureValidClientId(clientId);
        if (string.IsNullOrEmpty(code))
        {
            throw new AuthException(AuthErrorCodes.InvalidRequest,
                "Missing code: send the auth code from the login flow's create_entry result as code=….");
        }

        // Taken (removed) first: a code is spent by any attempt, right or wrong.
        if (!_flows.TryTakeAuthCode(code, out var pending) || pending.ClientId != clientId)
        {
            _auth.RaiseLoginFailed(new LoginFailure(clientAddress, null, AuthErrorCodes.InvalidGrant));
            throw new AuthException(AuthErrorCodes.InvalidGrant,
                "Invalid code: auth codes work once, for 10 minutes, and only with the client_id that requested them. " +
                "Log in again to get a new one.");
        }

        // A code from a trusted-network login is spent only inside that network, like its refresh token.
        var refusal = _auth.RefuseLogin(pending.UserId, clientAddress)
            ?? (pending.TrustedNetwork is { } network && !NetworkLocality.IsInNetwork(clientAddress, network)
                ? "outside_trusted_network" : null);
        if (refusal is not null)
        {
            throw new AuthException(AuthErrorCodes.AccessDenied, RefusalMessage(refusal));
        }

        var now = _auth.Now;
        var secret = Secrets.NewRefreshSecret();
        var token = new RefreshToken
        {
            Id = Secrets.NewId(),
            UserId = pending.UserId,
            ClientId = clientId,
            TokenType = RefreshTokenTypes.Normal,
            CreatedAt = now,
            AccessTokenLifetime = _auth.Options.AccessTokenLifetime,
            TokenHash = Secrets.Sha256Hex(secret),
            JwtKey = Secrets.NewJwtKey(),
            LastUsedAt = now,
            LastUsedIp = clientAddress?.ToString(),
            CredentialId = pending.CredentialId,
            TrustedNetwork = pending.TrustedNetwork,
        };
        var evicted = new List<string>();
        await _auth.MutateAsync(data =>
        {
            if (!data.Users.TryGetValue(token.UserId, out var user) || !user.IsActive)
            {
                throw new AuthException(AuthErrorCodes.AccessDenied, RefusalMessage("user_not_active"));
            }

            var set = new AuthChangeSet($"create refresh token for {user.Name}").Put(token);
            // At most MaxRefreshTokensPerUser sessions: the least recently used ones make room, in the same commit.
            var sessions = data.RefreshTokens.Values.Where(t => t.UserId == user.Id && t.TokenType == RefreshTokenTypes.Normal).ToList();
            foreach (var old in sessions.OrderBy(_accessTokens.LastUsedAt).Take(sessions.Count + 1 - _auth.Options.MaxRefreshTokensPerUser))
            {
                set.Delete(old);
                evicted.Add(old.Id);
            }

            return set;
        }, cancellationToken).ConfigureAwait(false);
        _auth.RaiseRevoked(evicted, RevocationReason.SessionLimit);

        var lifetime = token.AccessTokenLifetime;
        var access = _codec.Create(token, now, now + lifetime);
        return new TokenGrant(access, (int)lifetime.TotalSeconds, secret, token.Id, pending.ProviderType);
    }

    /// <summary>
    /// <c>grant_type=refresh_token</c>: a new access token for a refresh token, whose client id must match.
    /// Records the use (coalesced: at most one store write per token per <see cref="AuthOptions.LastUsedWriteInterval"/>).
    /// </summary>
    public async Task<TokenGrant> RefreshAccessTokenAsync(string? clientId, string? refreshToken, IPAddress? clientAddress,
        CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(refreshToken))
        {
            throw new AuthException(AuthErrorCodes.InvalidRequest,
                "Missing refresh_token: send the refresh token from the authorization_code grant as refresh_token=….");
        }

        if (clientId is not null) ClientIdRules.EnsureValidClientId(clientId);

        var now = _auth.Now;
        var token = FindBySecret(_auth.Data, refreshToken);
        if (token is null || IsExpired(token, now))
        {
            _auth.RaiseLoginFailed(new LoginFailure(clientAddress, null, AuthErrorCodes.InvalidGrant));
            throw new AuthException(AuthErrorCodes.InvalidGrant,
                "Invalid refresh token: it was revoked, has expired or never existed. Log in again to get a new one.");
        }

        if (!string.Equals(token.ClientId, clientId, StringComparison.Ordinal))
        {
            throw new AuthException(AuthErrorCodes.InvalidRequest,
                "Invalid client id: send the same client_id the refresh token was issued to.");
        }

        var refusal = _auth.RefuseLogin(token.UserId, clientAddress)
            ?? (token.TrustedNetwork is { } network && !NetworkLocality.IsInNetwork(clientAddress, network)
                ? "outside_trusted_network" : null);
        if (refusal is not null)
        {
            throw new AuthException(AuthErrorCodes.AccessDenied, RefusalMessage(refusal));
        }

        var access = _codec.Create(token, now, now + token.AccessTokenLifetime);
        await _accessTokens.NoteUseAsync(token, clientAddress, now).ConfigureAwait(false);
        var provider = token.CredentialId is { } cid && _auth.Data.Credentials.TryGetValue(cid, out var credential)
            ? credential.ProviderType : null;
        return new TokenGrant(access, (int)token.AccessTokenLifetime.TotalSeconds, null, token.Id, provider);
    }

    /// <summary>
    /// Deletes the refresh token with this secret, ending its access tokens at once (RFC 7009: an
    /// unknown token is not an error). Returns whether a token was deleted.
    /// </summary>
    public async Task<bool> RevokeAsync(string? refreshToken, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(refreshToken)) return false;
        var token = FindBySecret(_auth.Data, refreshToken);
        if (token is null) return false;
        await DeleteTokensAsync([token.Id], $"revoke refresh token {token.Id}", cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Creates a long-lived access token (Tasker, scripts): a refresh token of type
    /// <c>long_lived_access_token</c> whose one JWT lives <paramref name="lifespanDays"/> days. The JWT is
    /// returned once and never stored. Client names are unique per user.
    /// </summary>
    public async Task<string> CreateLongLivedTokenAsync(string userId, string clientName, int lifespanDays,
        string? clientIcon = null, IPAddress? clientAddress = null, CancellationToken cancellationToken = default)
    {
        if (lifespanDays is < 1 or > 3650)
        {
            throw new AuthException(AuthErrorCodes.InvalidFormat,
                $"lifespan must be 1 to 3650 days; {lifespanDays} was sent.");
        }

        var name = clientName?.Trim() ?? "";
        if (name.Length is 0 or > 100 || name.Any(char.IsControl))
        {
            throw new AuthException(AuthErrorCodes.InvalidFormat,
                "client_name must be 1 to 100 printable characters, e.g. \"Tasker on my phone\".");
        }

        var now = _auth.Now;
        var lifetime = TimeSpan.FromDays(lifespanDays);
        var token = new RefreshToken
        {
            Id = Secrets.NewId(),
            UserId = userId,
            ClientName = name,
            ClientIcon = clientIcon,
            TokenType = RefreshTokenTypes.LongLived,
            CreatedAt = now,
            AccessTokenLifetime = lifetime,
            TokenHash = Secrets.Sha256Hex(Secrets.NewRefreshSecret()),
            JwtKey = Secrets.NewJwtKey(),
            LastUsedAt = now,
            LastUsedIp = clientAddress?.ToString(),
            ExpireAt = now + lifetime,
        };
        await _auth.MutateAsync(data =>
        {
            if (!data.Users.TryGetValue(userId, out var user))
            {
                throw AuthException.NotFound($"User {userId}", "Refresh the user list and try again.");
            }

            if (!user.IsActive) throw new AuthException(AuthErrorCodes.AccessDenied, RefusalMessage("user_not_active"));
            if (data.RefreshTokens.Values.Any(t => t.UserId == userId && t.TokenType == RefreshTokenTypes.LongLived
                    && string.Equals(t.ClientName, name, StringComparison.Ordinal)))
            {
                throw new AuthException(AuthErrorCodes.ClientNameExists,
                    $"You already have a long-lived token named \"{name}\"; choose another name or delete the old token first.");
            }

            var max = _auth.Options.MaxLongLivedTokensPerUser;
            if (data.RefreshTokens.Values.Count(t => t.UserId == userId && t.TokenType == RefreshTokenTypes.LongLived) >= max)
            {
                throw new AuthException(AuthErrorCodes.TooManyTokens,
                    $"{user.Name} already has {max} long-lived tokens, the most a user may have; delete ones no longer used first: " +
                    "on the dashboard's Profile page (Long-lived access tokens), with the WebSocket command auth/delete_refresh_token, " +
                    "or on the hub with `pihub-cli tokens list` and `pihub-cli tokens revoke <id>`.");
            }

            return new AuthChangeSet($"create long-lived token \"{name}\" for {user.Name}").Put(token);
        }, cancellationToken).ConfigureAwait(false);

        return _codec.Create(token, now, now + lifetime);
    }

    /// <summary>
    /// The user's refresh tokens (normal and long-lived) with the newest "last used" seen in memory,
    /// which may be ahead of the store by up to <see cref="AuthOptions.LastUsedWriteInterval"/>.
    /// </summary>
    public IReadOnlyList<RefreshToken> ListRefreshTokens(string userId) =>
        [.. _auth.Data.RefreshTokens.Values
            .Where(t => t.UserId == userId)
            .Select(_accessTokens.WithLastUse)
            .OrderBy(t => t.CreatedAt)];

    /// <summary>
    /// Deletes one refresh token (and so its access tokens and sockets). Users may delete their own;
    /// administrators and the console anyone's.
    /// </summary>
    public async Task DeleteRefreshTokenAsync(AuthActor actor, string refreshTokenId,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var data = _auth.Data;
        var user = actor.IsConsole ? null : AuthDataRules.RequireUser(data, actor.UserId!);
        if (!data.RefreshTokens.TryGetValue(refreshTokenId, out var token) || (user is not null && token.UserId != user.Id && !user.IsAdmin))
        {
            throw AuthException.NotFound($"Refresh token {refreshTokenId}",
                actor.IsConsole ? "List them with `pihub-cli tokens list`." : "List your tokens with auth/refresh_tokens.");
        }

        await DeleteTokensAsync([token.Id], $"delete refresh token {token.Id} (by {actor})", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes the actor's refresh tokens, optionally only of one <paramref name="tokenType"/>, optionally
    /// keeping <paramref name="currentRefreshTokenId"/>. Returns how many were deleted.
    /// </summary>
    public async Task<int> DeleteAllRefreshTokensAsync(string actorUserId, string? tokenType = null,
        string? currentRefreshTokenId = null, bool deleteCurrent = true, CancellationToken cancellationToken = default)
    {
        var ids = _auth.Data.RefreshTokens.Values
            .Where(t => t.UserId == actorUserId && (tokenType is null || t.TokenType == tokenType))
            .Where(t => deleteCurrent || t.Id != currentRefreshTokenId)
            .Select(t => t.Id)
            .ToList();
        if (ids.Count > 0)
        {
            await DeleteTokensAsync(ids, $"delete {ids.Count} refresh tokens of {actorUserId}", cancellationToken)
                .ConfigureAwait(false);
        }

        return ids.Count;
    }

    private async Task DeleteTokensAsync(IReadOnlyCollection<string> ids, string description, CancellationToken cancellationToken)
    {
        var deleted = new List<string>();
        await _auth.MutateAsync(data =>
        {
            var set = new AuthChangeSet(description);
            foreach (var id in ids.Where(data.RefreshTokens.ContainsKey))
            {
                set.Delete(AuthRecordKind.RefreshToken, id);
                deleted.Add(id);
            }

            return set;
        }, cancellationToken).ConfigureAwait(false);
        _auth.RaiseRevoked(deleted);
    }

    /// <summary>Finds a refresh token by its secret, comparing the SHA-256 hashes in fixed time.</summary>
    private static RefreshToken? FindBySecret(AuthData data, string secret)
    {
        var hash = Secrets.Sha256Hex(secret);
        RefreshToken? found = null;
        foreach (var token in data.RefreshTokens.Values)
        {
            if (Secrets.FixedTimeEquals(token.TokenHash, hash)) found = token;
        }

        return found;
    }

    private bool IsExpired(RefreshToken token, DateTimeOffset now)
    {
        if (token.ExpireAt is { } expireAt) return now >= expireAt;
        if (token.TokenType != RefreshTokenTypes.Normal) return false;
        return now >= _accessTokens.LastUsedAt(token) + _auth.Options.RefreshTokenUnusedLifetime;
    }

    private static string RefusalMessage(string reason) => reason switch
    {
        "user_not_active" => "User is not active: an administrator has deactivated this account; ask them to reactivate it.",
        "login_local_only" => "This user may only log in from the local network; connect from home or over your VPN.",
        "outside_trusted_network" =>
            "This login came through a trusted network, so its auth code and refresh token only work from inside that network; log in again from here (with a password).",
        _ => "The user no longer exists; ask an administrator to create an account for you.",
    };
}
