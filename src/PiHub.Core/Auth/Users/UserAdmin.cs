using System.Net;
using Microsoft.Extensions.Logging;
using PiHub.Core.Auth.Flows;
using PiHub.Core.Auth.Model;
using PiHub.Core.Auth.Providers;
using PiHub.Core.Auth.Storage;
using PiHub.Core.Auth.Tokens;
using PiHub.Core.Auth.Validation;

namespace PiHub.Core.Auth.Users;

/// <summary>
/// User administration and the owner invariant: the owner created at onboarding, users created, changed and
/// deleted by administrators, and ownership handed on in one commit, so the hub always has exactly one active
/// owner. Holds no state of its own; every write goes through the manager's gate.
/// </summary>
public sealed class UserAdmin
{
    private readonly AuthManager _auth;
    private readonly PasswordHasher _hasher;
    private readonly LoginFlowManager _flows;
    private readonly ILogger _logger;

    internal UserAdmin(AuthManager auth, PasswordHasher hasher, LoginFlowManager flows, ILogger logger)
    {
        _auth = auth;
        _hasher = hasher;
        _flows = flows;
        _logger = logger;
    }

    /// <summary>
    /// Creates the owner — user, credential and "user step done" in one transaction — and returns an
    /// auth code for <paramref name="clientId"/>. Refused with <c>user_exists</c> once an owner exists.
    /// In recovery mode the one-time recovery code is required and recovery mode ends in the same
    /// transaction. A <paramref name="redirectUri"/> (where the onboarding page sends the code) must pass the checks
    /// <c>/auth/authorize</c> makes for <paramref name="clientId"/>; when it does not, no owner is created.
    /// </summary>
    public async Task<string> CreateOwnerAsync(string clientId, string name, string username, string password,
        string? language, string? recoveryCode = null, string? redirectUri = null, IPAddress? clientAddress = null,
        CancellationToken cancellationToken = default)
    {
        // Closed onboarding is reported before anything about the body, as Home Assistant does (403).
        EnsureOwnerCanBeCreated(_auth.Data.Onboarding, recoveryCode);
        ClientIdRules.EnsureValidClientId(clientId);
        var displayName = CredentialRules.ValidateName(name);
        var normalized = CredentialRules.ValidateUsername(username);
        CredentialRules.ValidatePassword(password);
        // Last of the checks: it may read the client's page over the network.
        await _flows.EnsureClientAsync(clientId, redirectUri, clientAddress, cancellationToken).ConfigureAwait(false);

        // Hash outside the write gate: 0.3 s of CPU must not hold up other auth changes.
        var passwordHash = _hasher.Hash(password);
        var now = _auth.Now;
        var user = new User
        {
            Id = Secrets.NewId(),
            Name = displayName,
            IsOwner = true,
            GroupIds = [Groups.Admin],
            CreatedAt = now,
        };
        var credential = PasswordAdmin.NewCredential(user.Id, normalized, passwordHash, now);

        await _auth.MutateAsync(data =>
        {
            // Checked again inside the gate: two racing onboarding requests create one owner.
            EnsureOwnerCanBeCreated(data.Onboarding, recoveryCode);
            AuthDataRules.EnsureUsernameFree(data, normalized, exceptUserId: null);
            return new AuthChangeSet($"create owner {normalized}")
                .Put(user)
                .Put(credential)
                .Put(data.Onboarding with { UserDone = true, RecoveryMode = false, RecoveryCodeHash = null });
        }, cancellationToken).ConfigureAwait(false);

        _logger.LogInformation("Owner {Username} created (language {Language})", normalized, language ?? "-");
        return _flows.IssueAuthCode(new PendingAuthCode(clientId, user.Id, credential.Id, credential.ProviderType, null), clientAddress);
    }

    /// <summary>Creates a user without credentials (admin or console). A new user is never the owner.</summary>
    public async Task<User> CreateAsync(AuthActor actor, string name, IReadOnlyList<string>? groupIds,
        bool localOnly = false, CancellationToken cancellationToken = default)
    {
        var user = NewUser(name, groupIds, localOnly);
        await _auth.MutateAsync(data =>
        {
            AuthDataRules.RequireAdmin(data, actor);
            return new AuthChangeSet($"create user {user.Name} (by {actor})").Put(user);
        }, cancellationToken).ConfigureAwait(false);
        return user;
    }

    /// <summary>
    /// Creates a person with a username and password in one commit (admin or console; <c>pihub-cli users add</c>),
    /// so a taken username leaves no user behind.
    /// </summary>
    public async Task<(User User, Credential Credential)> CreatePersonAsync(AuthActor actor, string name,
        IReadOnlyList<string>? groupIds, string username, string password, CancellationToken cancellationToken = default)
    {
        var user = NewUser(name, groupIds, localOnly: false);
        var normalized = CredentialRules.ValidateUsername(username);
        CredentialRules.ValidatePassword(password);
        // Hash outside the write gate: a second of CPU on a Pi must not hold up other auth changes.
        var credential = PasswordAdmin.NewCredential(user.Id, normalized, _hasher.Hash(password), user.CreatedAt);
        await _auth.MutateAsync(data =>
        {
            AuthDataRules.RequireAdmin(data, actor);
            AuthDataRules.EnsureUsernameFree(data, normalized, exceptUserId: null);
            return new AuthChangeSet($"create user {normalized} (by {actor})").Put(user).Put(credential);
        }, cancellationToken).ConfigureAwait(false);
        return (user, credential);
    }

    /// <summary>
    /// Changes a user's name, activity, groups or local-only flag (admin or console), within
    /// <see cref="OwnerRules"/>. Deactivating a user ends their tokens' access at once.
    /// </summary>
    public async Task<User> UpdateAsync(AuthActor actor, string userId, UserUpdate update,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        var name = update.Name is null ? null : CredentialRules.ValidateName(update.Name);
        var groups = update.GroupIds is null ? null : ValidateGroups(update.GroupIds);
        User? updated = null;
        IReadOnlyList<string> revoked = [];
        await _auth.MutateAsync(data =>
        {
            AuthDataRules.RequireAdmin(data, actor);
            var user = AuthDataRules.RequireUser(data, userId);
            OwnerRules.EnsureNotDeactivated(user, update.IsActive);
            OwnerRules.EnsureStaysAdmin(user, groups);
            OwnerRules.EnsureMayUpdate(actor, user, update with { GroupIds = groups });
            updated = user with
            {
                Name = name ?? user.Name,
                IsActive = update.IsActive ?? user.IsActive,
                GroupIds = groups ?? user.GroupIds,
                LocalOnly = update.LocalOnly ?? user.LocalOnly,
            };
            if (updated == user) return null;
            if (user.IsActive && !updated.IsActive)
            {
                revoked = [.. data.RefreshTokens.Values.Where(t => t.UserId == userId).Select(t => t.Id)];
            }

            return new AuthChangeSet($"update user {user.Name} (by {actor})").Put(updated);
        }, cancellationToken).ConfigureAwait(false);

        // Tokens of a deactivated user are kept (reactivation restores them) but stop working now.
        _auth.RaiseRevoked(revoked, RevocationReason.UserDeactivated);
        return updated!;
    }

    /// <summary>
    /// Deletes a user with their credentials, tokens and MFA set-up in one transaction (admin or console) and
    /// returns how many tokens ended. The owner cannot be deleted, nor can an admin delete themselves.
    /// </summary>
    public async Task<int> DeleteAsync(AuthActor actor, string userId, CancellationToken cancellationToken = default)
    {
        var revoked = new List<string>();
        await _auth.MutateAsync(data =>
        {
            AuthDataRules.RequireAdmin(data, actor);
            var user = AuthDataRules.RequireUser(data, userId);
            OwnerRules.EnsureNotDeleted(user);
            if (actor.Is(userId))
            {
                throw new AuthException(AuthErrorCodes.InvalidRequest,
                    "You cannot delete your own account; ask another administrator to do it.");
            }

            var set = new AuthChangeSet($"delete user {user.Name} (by {actor})").Delete(user);
            foreach (var c in data.Credentials.Values.Where(c => c.UserId == userId)) set.Delete(c);
            foreach (var m in data.Mfa.Values.Where(m => m.UserId == userId)) set.Delete(m);
            foreach (var t in data.RefreshTokens.Values.Where(t => t.UserId == userId))
            {
                set.Delete(t);
                revoked.Add(t.Id);
            }

            return set;
        }, cancellationToken).ConfigureAwait(false);
        _auth.RaiseRevoked(revoked, RevocationReason.UserRemoved);
        return revoked.Count;
    }

    /// <summary>
    /// Makes <paramref name="newOwnerUserId"/> the owner (the owner, or the console) and returns the old owner, who
    /// stays an administrator (null when there was none, or nothing changed). Both records change in one
    /// transaction, so there is never a moment with zero or two owners; see <see cref="OwnerRules.Transfer"/>.
    /// </summary>
    public async Task<User?> TransferOwnershipAsync(AuthActor actor, string newOwnerUserId,
        CancellationToken cancellationToken = default)
    {
        User? previous = null;
        await _auth.MutateAsync(data =>
        {
            var set = OwnerRules.Transfer(data, actor, AuthDataRules.RequireUser(data, newOwnerUserId), $"by {actor}");
            previous = set is null ? null : data.Owner;
            return set;
        }, cancellationToken).ConfigureAwait(false);
        return previous;
    }

    private User NewUser(string name, IReadOnlyList<string>? groupIds, bool localOnly) => new()
    {
        Id = Secrets.NewId(),
        Name = CredentialRules.ValidateName(name),
        GroupIds = ValidateGroups(groupIds ?? [Groups.Users]),
        LocalOnly = localOnly,
        CreatedAt = _auth.Now,
    };

    private void EnsureOwnerCanBeCreated(OnboardingState onboarding, string? recoveryCode)
    {
        if (onboarding.UserDone)
        {
            throw new AuthException(AuthErrorCodes.UserExists,
                "The owner already exists, so onboarding's user step is closed. Log in at /auth/login_flow instead; " +
                "a locked-out owner can set a new password with `pihub-cli users passwd <username>` on the hub.");
        }

        if (onboarding.RecoveryMode && !RecoveryCodeMatches(onboarding.RecoveryCodeHash, recoveryCode))
        {
            throw new AuthException(AuthErrorCodes.AccessDenied,
                "Onboarding is in recovery mode after the auth store was lost: send the one-time recovery_code stored in " +
                "recovery-code.txt beside the auth store (readable by root only); `sudo pihub-cli onboarding code` on the hub prints a new one.");
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

    private static IReadOnlyList<string> ValidateGroups(IReadOnlyList<string> groupIds)
    {
        var unknown = groupIds.FirstOrDefault(g => !Groups.IsKnown(g));
        if (unknown is not null)
        {
            throw new AuthException(AuthErrorCodes.InvalidFormat,
                $"Unknown group \"{unknown}\"; use {string.Join(", ", Groups.All)}.");
        }

        return [.. groupIds.Distinct(StringComparer.Ordinal)];
    }
}
