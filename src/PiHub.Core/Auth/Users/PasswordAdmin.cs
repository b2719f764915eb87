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

    /// <summary>
    /// Gives a user a username and password (admin or console; the owner's only by the owner or the console). One
    /// per user; usernames are unique.
    /// </summary>
    public async Task<Credential> CreateCredentialAsync(AuthActor actor, string userId, string username,
        string password, CancellationToken cancellationToken = default)
    {
        var normalized = CredentialRules.ValidateUsername(username);
        CredentialRules.ValidatePassword(password);
        AuthDataRules.RequireAdmin(_auth.Data, actor);
        var credential = NewCredential(userId, normalized, _hasher.Hash(password), _auth.Now);
        await _auth.MutateAsync(data =>
        {
            AuthDataRules.RequireAdmin(data, actor);
            var user = AuthDataRules.RequireUser(data, userId);
            OwnerRules.EnsureMayChangeOwnersAccount(actor, user, "username and password", "pihub-cli users passwd <username>");
            if (AuthDataRules.FindPasswordCredential(data, userId) is not null)
            {
                throw new AuthException(AuthErrorCodes.CredentialExists,
                    $"{user.Name} already has a username; change their password instead.");
            }

            AuthDataRules.EnsureUsernameFree(data, normalized, exceptUserId: null);
            return new AuthChangeSet($"create credential {normalized} for {user.Name} (by {actor})").Put(credential);
        }, cancellationToken).ConfigureAwait(false);
        return credential;
    }

    /// <summary>
    /// Changes a user's username, and with <paramref name="newName"/> their display name, in one commit (admin or
    /// console; the owner's only by the owner or the console).
    /// </summary>
    public async Task<Credential> ChangeUsernameAsync(AuthActor actor, string userId, string newUsername,
        string? newName = null, CancellationToken cancellationToken = default)
    {
        var normalized = CredentialRules.ValidateUsername(newUsername);
        var name = newName is null ? null : CredentialRules.ValidateName(newName);
        Credential? renamed = null;
        await _auth.MutateAsync(data =>
        {
            AuthDataRules.RequireAdmin(data, actor);
            var user = AuthDataRules.RequireUser(data, userId);
            OwnerRules.EnsureMayChangeOwnersAccount(actor, user, "username", "pihub-cli users rename <username> <new-username>");
            var credential = AuthDataRules.FindPasswordCredential(data, userId) ?? throw NoPassword(user);
            AuthDataRules.EnsureUsernameFree(data, normalized, exceptUserId: userId);
            renamed = credential with { Username = normalized };
            var set = new AuthChangeSet($"rename {credential.Username} to {normalized} (by {actor})").Put(renamed);
            return name is null ? set : set.Put(user with { Name = name });
        }, cancellationToken).ConfigureAwait(false);
        return renamed!;
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

        await SetAsync(AuthActor.ForUser(userId), credential.Id, newPassword,
            revokeOtherTokens ? t => t.Id != currentRefreshTokenId : null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sets a user's password (admin or console; the owner's only by the owner or the console) and returns how many
    /// of their refresh tokens were deleted: all of them unless <paramref name="revokeTokens"/> is false.
    /// </summary>
    public async Task<int> AdminChangeAsync(AuthActor actor, string userId, string newPassword,
        bool revokeTokens = true, CancellationToken cancellationToken = default)
    {
        CredentialRules.ValidatePassword(newPassword);
        var data = _auth.Data;
        AuthDataRules.RequireAdmin(data, actor);
        var user = AuthDataRules.RequireUser(data, userId);
        OwnerRules.EnsureMayChangeOwnersAccount(actor, user, "password", "pihub-cli users passwd <username>");
        var credential = AuthDataRules.FindPasswordCredential(data, userId) ?? throw NoPassword(user);
        return await SetAsync(actor, credential.Id, newPassword, revokeTokens ? _ => true : null, cancellationToken)
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

    /// <summary>A username and password of the <c>homeassistant</c> provider, not yet stored.</summary>
    internal static Credential NewCredential(string userId, string normalizedUsername, string passwordHash, DateTimeOffset now) => new()
    {
        Id = Secrets.NewId(),
        UserId = userId,
        ProviderType = HomeAssistantAuthProvider.ProviderType,
        Username = normalizedUsername,
        PasswordHash = passwordHash,
        CreatedAt = now,
    };

    private static AuthException NoPassword(User user) =>
        new(AuthErrorCodes.NotFound,
            $"{user.Name} has no username and password (a system user, or one made without); give them one with " +
            "config/auth_provider/homeassistant/create, or create a person with `pihub-cli users add <username>`.");

    private async Task<int> SetAsync(AuthActor actor, string credentialId, string newPassword, Func<RefreshToken, bool>? revoke,
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

            // Checked again inside the gate: the owner may have changed since the caller looked.
            OwnerRules.EnsureMayChangeOwnersAccount(actor, AuthDataRules.RequireUser(data, credential.UserId), "password",
                "pihub-cli users passwd <username>");
            var set = new AuthChangeSet($"change password of {credential.Username} (by {actor})")
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
        return revoked.Count;
    }
}
