using System.Net;
using Microsoft.Extensions.Logging;
using PiHub.Core.Auth.Model;
using PiHub.Core.Auth.Providers;
using PiHub.Core.Auth.Storage;
using PiHub.Core.Auth.Tokens;
using PiHub.Core.Auth.Validation;

namespace PiHub.Core.Auth.Users;

/// <summary>
/// Usernames and passwords of the <c>homeassistant</c> provider: giving a user one, changing it (which revokes
/// the user's other tokens), an administrator's reset, re-checking a password, and raising a stored hash to
/// the current cost after a login. Holds no state of its own; every write goes through the manager's gate.
/// </summary>
public sealed class PasswordAdmin
{
    private readonly AuthManager _auth;
    private readonly PasswordHasher _hasher;
    private readonly ILogger _logger;

    internal PasswordAdmin(AuthManager auth, PasswordHasher hasher, ILogger logger)
    {
        _auth = auth;
        _hasher = hasher;
        _logger = logger;
    }

    /// <summary>Gives a user a username and password (admin only). One per user; usernames are unique.</summary>
    public async Task<Credential> CreateCredentialAsync(string actorUserId, string userId, string username,
        string password, CancellationToken cancellationToken = default)
    {
        var normalized = CredentialRules.ValidateUsername(username);
        CredentialRules.ValidatePassword(password);
        AuthDataRules.RequireAdmin(_auth.Data, actorUserId);
        var credential = new Credential
        {
            Id = Secrets.NewId(),
            UserId = userId,
            ProviderType = HomeAssistantAuthProvider.ProviderType,
            Username = normalized,
            PasswordHash = _hasher.Hash(password),
            CreatedAt = _auth.Now,
        };
        await _auth.MutateAsync(data =>
        {
            AuthDataRules.RequireAdmin(data, actorUserId);
            var user = AuthDataRules.RequireUser(data, userId);
            if (AuthDataRules.FindPasswordCredential(data, userId) is not null)
            {
                throw new AuthException(AuthErrorCodes.CredentialExists,
                    $"{user.Name} already has a username; change their password instead.");
            }

            AuthDataRules.EnsureUsernameFree(data, normalized, exceptUserId: null);
            return new AuthChangeSet($"create credential {normalized} for {user.Name}").Put(credential);
        }, cancellationToken).ConfigureAwait(false);
        return credential;
    }

    /// <summary>
    /// Changes the user's own password after checking the current one. Unless
    /// <paramref name="revokeOtherTokens"/> is false, every other refresh token of the user (long-lived ones
    /// too) is deleted in the same transaction; <paramref name="currentRefreshTokenId"/> is kept. A wrong current
    /// password is a failed login from <paramref name="clientAddress"/> (bans count it, as for a login flow).
    /// </summary>
    public async Task ChangeAsync(string userId, string currentPassword, string newPassword,
        string? currentRefreshTokenId = null, bool revokeOtherTokens = true, IPAddress? clientAddress = null,
        CancellationToken cancellationToken = default)
    {
        CredentialRules.ValidatePassword(newPassword);
        var credential = AuthDataRules.FindPasswordCredential(_auth.Data, userId)
            ?? throw AuthException.NotFound("A username and password for this user",
                "Ask an administrator to create one (config/auth_provider/homeassistant/create).");
        if (!_hasher.Verify(currentPassword ?? "", credential.PasswordHash))
        {
            _auth.RaiseLoginFailed(new LoginFailure(clientAddress, credential.Username, "invalid_current_password"));
            throw new AuthException(AuthErrorCodes.InvalidAuth,
                "The current password is wrong; nothing was changed. Type it again.");
        }

        await SetAsync(credential.Id, newPassword,
            revokeOtherTokens ? t => t.Id != currentRefreshTokenId : null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sets another user's password (admin only). Their refresh tokens are deleted unless
    /// <paramref name="revokeTokens"/> is false.
    /// </summary>
    public async Task AdminChangeAsync(string actorUserId, string userId, string newPassword,
        bool revokeTokens = true, CancellationToken cancellationToken = default)
    {
        CredentialRules.ValidatePassword(newPassword);
        var data = _auth.Data;
        AuthDataRules.RequireAdmin(data, actorUserId);
        AuthDataRules.RequireUser(data, userId);
        var credential = AuthDataRules.FindPasswordCredential(data, userId)
            ?? throw AuthException.NotFound("A username and password for this user",
                "Create one first (config/auth_provider/homeassistant/create).");
        await SetAsync(credential.Id, newPassword, revokeTokens ? _ => true : null, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// Checks a user's password without a login flow (re-authentication for sensitive changes). A user without
    /// a password costs the same hash time as one with.
    /// </summary>
    public bool Verify(string userId, string password)
    {
        var credential = AuthDataRules.FindPasswordCredential(_auth.Data, userId);
        if (credential is null)
        {
            _hasher.VerifyDummy(password ?? "");
            return false;
        }

        return _hasher.Verify(password ?? "", credential.PasswordHash);
    }

    /// <summary>Stores a password hash at the current cost. Best effort: a read-only store must not block a login.</summary>
    internal async Task UpgradeHashAsync(string credentialId, string hash, CancellationToken cancellationToken)
    {
        try
        {
            await _auth.MutateAsync(data => data.Credentials.TryGetValue(credentialId, out var credential)
                    && _hasher.NeedsRehash(credential.PasswordHash)
                ? new AuthChangeSet($"raise password hash cost of {credential.Username}")
                    .Put(credential with { PasswordHash = hash })
                : null, cancellationToken).ConfigureAwait(false);
        }
        catch (AuthException ex)
        {
            _logger.LogWarning(ex, "Could not store the upgraded password hash of credential {CredentialId}; " +
                "it will be retried at the next login", credentialId);
        }
    }

    private async Task SetAsync(string credentialId, string newPassword, Func<RefreshToken, bool>? revoke,
        CancellationToken cancellationToken)
    {
        var hash = _hasher.Hash(newPassword);
        var revoked = new List<string>();
        await _auth.MutateAsync(data =>
        {
            if (!data.Credentials.TryGetValue(credentialId, out var credential))
            {
                throw AuthException.NotFound("The credential", "It was deleted meanwhile; reload and try again.");
            }

            var set = new AuthChangeSet($"change password of {credential.Username}")
                .Put(credential with { PasswordHash = hash });
            if (revoke is not null)
            {
                foreach (var t in data.RefreshTokens.Values.Where(t => t.UserId == credential.UserId && revoke(t)))
                {
                    set.Delete(t);
                    revoked.Add(t.Id);
                }
            }

            return set;
        }, cancellationToken).ConfigureAwait(false);
        _auth.RaiseRevoked(revoked, RevocationReason.PasswordChanged);
    }
}
