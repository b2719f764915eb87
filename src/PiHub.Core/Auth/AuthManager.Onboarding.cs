using Microsoft.Extensions.Logging;
using PiHub.Core.Auth.Model;
using PiHub.Core.Auth.Providers;
using PiHub.Core.Auth.Storage;
using PiHub.Core.Auth.Tokens;
using PiHub.Core.Auth.Validation;

namespace PiHub.Core.Auth;

public sealed partial class AuthManager
{
    /// <summary>Onboarding progress as committed.</summary>
    public OnboardingState GetOnboarding() => _store.Current.Onboarding;

    /// <summary>True once the owner exists (onboarding's user step is done).</summary>
    public bool IsOnboarded => _store.Current.Onboarding.UserDone;

    /// <summary>
    /// Creates the owner — user, credential and "user step done" in one transaction — and returns an
    /// auth code for <paramref name="clientId"/>. Refused with <c>user_exists</c> once an owner exists.
    /// In recovery mode the one-time recovery code is required and recovery mode ends in the same
    /// transaction.
    /// </summary>
    public async Task<string> CreateOwnerAsync(string clientId, string name, string username, string password,
        string? language, string? recoveryCode = null, CancellationToken cancellationToken = default)
    {
        // Closed onboarding is reported before anything about the body, as Home Assistant does (403).
        EnsureOwnerCanBeCreated(_store.Current.Onboarding, recoveryCode);
        ClientIdRules.EnsureValidClientId(clientId);
        var displayName = CredentialRules.ValidateName(name);
        var normalized = CredentialRules.ValidateUsername(username);
        CredentialRules.ValidatePassword(password);

        // Hash outside the write gate: 0.3 s of CPU must not hold up other auth changes.
        var passwordHash = _hasher.Hash(password);
        var now = Now;
        var user = new User
        {
            Id = Secrets.NewId(),
            Name = displayName,
            IsOwner = true,
            GroupIds = [Groups.Admin],
            CreatedAt = now,
        };
        var credential = new Credential
        {
            Id = Secrets.NewId(),
            UserId = user.Id,
            ProviderType = HomeAssistantAuthProvider.ProviderType,
            Username = normalized,
            PasswordHash = passwordHash,
            CreatedAt = now,
        };

        await MutateAsync(data =>
        {
            // Checked again inside the gate: two racing onboarding requests create one owner.
            EnsureOwnerCanBeCreated(data.Onboarding, recoveryCode);
            EnsureUsernameFree(data, normalized, exceptUserId: null);
            return new AuthChangeSet($"create owner {normalized}")
                .Put(user)
                .Put(credential)
                .Put(data.Onboarding with { UserDone = true, RecoveryMode = false, RecoveryCodeHash = null });
        }, cancellationToken).ConfigureAwait(false);

        _logger.LogInformation("Owner {Username} created (language {Language})", normalized, language ?? "-");
        return IssueAuthCode(new PendingAuthCode(clientId, user.Id, credential.Id, credential.ProviderType, null));
    }

    private void EnsureOwnerCanBeCreated(OnboardingState onboarding, string? recoveryCode)
    {
        if (onboarding.UserDone)
        {
            throw new AuthException(AuthErrorCodes.UserExists,
                "The owner already exists, so onboarding's user step is closed. Log in at /auth/login_flow instead; " +
                "a locked-out owner can reset the password with `pihub-cli owner` on the hub.");
        }

        if (onboarding.RecoveryMode && !RecoveryCodeMatches(onboarding.RecoveryCodeHash, recoveryCode))
        {
            throw new AuthException(AuthErrorCodes.AccessDenied,
                "Onboarding is in recovery mode after the auth store was lost: send the one-time recovery_code " +
                "printed in the hub's journal and stored in its recovery file (readable by root only).");
        }
    }

    private bool RecoveryCodeMatches(string? storedHash, string? code)
    {
        if (string.IsNullOrEmpty(storedHash) || string.IsNullOrWhiteSpace(code)) return false;
        var trimmed = code.Trim();

        // The store writes SHA-256 hex; a PasswordHasher hash is accepted too (the record's docs allow it).
        if (storedHash.StartsWith(PasswordHasher.Scheme + "$", StringComparison.Ordinal))
        {
            return _hasher.Verify(trimmed, storedHash);
        }

        return Secrets.FixedTimeEquals(Secrets.Sha256Hex(trimmed), storedHash.ToLowerInvariant());
    }

    private static void EnsureUsernameFree(AuthData data, string normalized, string? exceptUserId)
    {
        var taken = data.Credentials.Values.Any(c =>
            c.ProviderType == HomeAssistantAuthProvider.ProviderType && c.Username == normalized && c.UserId != exceptUserId);
        if (taken)
        {
            throw new AuthException(AuthErrorCodes.UsernameExists,
                $"The username \"{normalized}\" is already taken (usernames ignore case and surrounding spaces); choose another.");
        }
    }
}
