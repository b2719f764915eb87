using PiHub.Core.Auth.Model;
using PiHub.Core.Auth.Providers;
using PiHub.Core.Auth.Storage;
using PiHub.Core.Auth.Tokens;
using PiHub.Core.Auth.Validation;

namespace PiHub.Core.Auth;

public sealed partial class AuthManager
{
    /// <summary>Gives a user a username and password (admin only). One per user; usernames are unique.</summary>
    public async Task<Credential> CreateCredentialAsync(string actorUserId, string userId, string username,
        string password, CancellationToken cancellationToken = default)
    {
        var normalized = CredentialRules.ValidateUsername(username);
        CredentialRules.ValidatePassword(password);
        RequireAdmin(_store.Current, actorUserId);
        var credential = new Credential
        {
            Id = Secrets.NewId(),
            UserId = userId,
            ProviderType = HomeAssistantAuthProvider.ProviderType,
            Username = normalized,
            PasswordHash = _hasher.Hash(password),
            CreatedAt = Now,
        };
        await MutateAsync(data =>
        {
            RequireAdmin(data, actorUserId);
            var user = RequireUser(data, userId);
            if (FindPasswordCredential(data, userId) is not null)
            {
                throw new AuthException(AuthErrorCodes.CredentialExists,
                    $"{user.Name} already has a username; change their password instead.");
            }

            EnsureUsernameFree(data, normalized, exceptUserId: null);
            return new AuthChangeSet($"create credential {normalized} for {user.Name}").Put(credential);
        }, cancellationToken).ConfigureAwait(false);
        return credential;
    }

    /// <summary>
    /// Changes the user's own password after checking the current one. Unless
    /// <paramref name="revokeOtherTokens"/> is false, every other refresh token of the user (long-lived ones
    /// too) is deleted in the same transaction; <paramref name="currentRefreshTokenId"/> is kept.
    /// </summary>
    public async Task ChangePasswordAsync(string userId, string currentPassword, string newPassword,
        string? currentRefreshTokenId = null, bool revokeOtherTokens = true, CancellationToken cancellationToken = default)
    {
        CredentialRules.ValidatePassword(newPassword);
        var credential = FindPasswordCredential(_store.Current, userId)
            ?? throw AuthException.NotFound("A username and password for this user",
                "Ask an administrator to create one (config/auth_provider/homeassistant/create).");
        if (!_hasher.Verify(currentPassword ?? "", credential.PasswordHash))
        {
            RaiseLoginFailed(new LoginFailure(null, credential.Username, "invalid_current_password"));
            throw new AuthException(AuthErrorCodes.InvalidAuth,
                "The current password is wrong; nothing was changed. Type it again.");
        }

        await SetPasswordAsync(credential.Id, newPassword,
            revokeOtherTokens ? t => t.Id != currentRefreshTokenId : null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sets another user's password (admin only). Their refresh tokens are deleted unless
    /// <paramref name="revokeTokens"/> is false.
    /// </summary>
    public async Task AdminChangePasswordAsync(string actorUserId, string userId, string newPassword,
        bool revokeTokens = true, CancellationToken cancellationToken = default)
    {
        CredentialRules.ValidatePassword(newPassword);
        var data = _store.Current;
        RequireAdmin(data, actorUserId);
        RequireUser(data, userId);
        var credential = FindPasswordCredential(data, userId)
            ?? throw AuthException.NotFound("A username and password for this user",
                "Create one first (config/auth_provider/homeassistant/create).");
        await SetPasswordAsync(credential.Id, newPassword, revokeTokens ? _ => true : null, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Checks a user's password without a login flow (re-authentication for sensitive changes).</summary>
    public bool VerifyPassword(string userId, string password)
    {
        var credential = FindPasswordCredential(_store.Current, userId);
        if (credential is null)
        {
            _hasher.VerifyDummy(password ?? "");
            return false;
        }

        return _hasher.Verify(password ?? "", credential.PasswordHash);
    }

    private async Task SetPasswordAsync(string credentialId, string newPassword, Func<RefreshToken, bool>? revoke,
        CancellationToken cancellationToken)
    {
        var hash = _hasher.Hash(newPassword);
        var revoked = new List<string>();
        await MutateAsync(data =>
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
        RaiseRevoked(revoked);
    }

    private static Credential? FindPasswordCredential(AuthData data, string userId) =>
        data.Credentials.Values.FirstOrDefault(c =>
            c.UserId == userId && c.ProviderType == HomeAssistantAuthProvider.ProviderType);
}
