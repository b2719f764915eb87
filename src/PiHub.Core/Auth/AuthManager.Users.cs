using PiHub.Core.Auth.Model;
using PiHub.Core.Auth.Storage;
using PiHub.Core.Auth.Tokens;
using PiHub.Core.Auth.Validation;

namespace PiHub.Core.Auth;

public sealed partial class AuthManager
{
    /// <summary>Creates a user without credentials (admin only). A new user is never the owner.</summary>
    public async Task<User> CreateUserAsync(string actorUserId, string name, IReadOnlyList<string>? groupIds,
        bool localOnly = false, CancellationToken cancellationToken = default)
    {
        var displayName = CredentialRules.ValidateName(name);
        var groups = ValidateGroups(groupIds ?? [Groups.Users]);
        var user = new User
        {
            Id = Secrets.NewId(),
            Name = displayName,
            GroupIds = groups,
            LocalOnly = localOnly,
            CreatedAt = Now,
        };
        await MutateAsync(data =>
        {
            RequireAdmin(data, actorUserId);
            return new AuthChangeSet($"create user {displayName}").Put(user);
        }, cancellationToken).ConfigureAwait(false);
        return user;
    }

    /// <summary>
    /// Changes a user's name, activity, groups or local-only flag (admin only). The owner cannot be
    /// deactivated or removed from system-admin. Deactivating a user ends their tokens' access at once.
    /// </summary>
    public async Task<User> UpdateUserAsync(string actorUserId, string userId, UserUpdate update,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        var name = update.Name is null ? null : CredentialRules.ValidateName(update.Name);
        var groups = update.GroupIds is null ? null : ValidateGroups(update.GroupIds);
        User? updated = null;
        IReadOnlyList<string> revoked = [];
        await MutateAsync(data =>
        {
            RequireAdmin(data, actorUserId);
            var user = RequireUser(data, userId);
            if (user.IsOwner && update.IsActive == false)
            {
                throw OwnerProtected("deactivated");
            }

            if (user.IsOwner && groups is not null && !groups.Contains(Groups.Admin))
            {
                throw OwnerProtected("removed from the administrators");
            }

            updated = user with
            {
                Name = name ?? user.Name,
                IsActive = update.IsActive ?? user.IsActive,
                GroupIds = groups ?? user.GroupIds,
                LocalOnly = update.LocalOnly ?? user.LocalOnly,
            };
            if (user.IsActive && !updated.IsActive)
            {
                revoked = [.. data.RefreshTokens.Values.Where(t => t.UserId == userId).Select(t => t.Id)];
            }

            return new AuthChangeSet($"update user {user.Name}").Put(updated);
        }, cancellationToken).ConfigureAwait(false);

        // Tokens of a deactivated user are kept (reactivation restores them) but stop working now.
        RaiseRevoked(revoked);
        return updated!;
    }

    /// <summary>
    /// Deletes a user with their credentials, tokens and MFA set-up in one transaction (admin only).
    /// The owner cannot be deleted, nor can an admin delete themselves.
    /// </summary>
    public async Task DeleteUserAsync(string actorUserId, string userId, CancellationToken cancellationToken = default)
    {
        var revoked = new List<string>();
        await MutateAsync(data =>
        {
            RequireAdmin(data, actorUserId);
            var user = RequireUser(data, userId);
            if (user.IsOwner) throw OwnerProtected("deleted");
            if (userId == actorUserId)
            {
                throw new AuthException(AuthErrorCodes.InvalidRequest,
                    "You cannot delete your own account; ask another administrator to do it.");
            }

            var set = new AuthChangeSet($"delete user {user.Name}").Delete(user);
            foreach (var c in data.Credentials.Values.Where(c => c.UserId == userId)) set.Delete(c);
            foreach (var m in data.Mfa.Values.Where(m => m.UserId == userId)) set.Delete(m);
            foreach (var t in data.RefreshTokens.Values.Where(t => t.UserId == userId))
            {
                set.Delete(t);
                revoked.Add(t.Id);
            }

            return set;
        }, cancellationToken).ConfigureAwait(false);
        RaiseRevoked(revoked);
    }

    /// <summary>
    /// Makes <paramref name="newOwnerUserId"/> the owner. Only the current owner may do this; the old
    /// owner stays an administrator. Both records change in one transaction, so there is never a moment
    /// with zero or two owners.
    /// </summary>
    public async Task TransferOwnershipAsync(string actorUserId, string newOwnerUserId,
        CancellationToken cancellationToken = default)
    {
        await MutateAsync(data =>
        {
            var owner = data.Owner;
            if (owner is null || owner.Id != actorUserId)
            {
                throw new AuthException(AuthErrorCodes.Unauthorized,
                    "Only the owner can transfer ownership; ask the owner, or use `pihub-cli owner` on the hub.");
            }

            var target = RequireUser(data, newOwnerUserId);
            if (target.Id == owner.Id) return null;
            if (!target.IsActive || target.SystemGenerated)
            {
                throw new AuthException(AuthErrorCodes.InvalidRequest,
                    $"{target.Name} cannot become the owner: the new owner must be an active person, not a system user.");
            }

            if (!data.Credentials.Values.Any(c => c.UserId == target.Id))
            {
                throw new AuthException(AuthErrorCodes.InvalidRequest,
                    $"{target.Name} has no username and password yet; give them one first so the new owner can log in.");
            }

            return new AuthChangeSet($"transfer ownership from {owner.Name} to {target.Name}")
                .Put(owner with { IsOwner = false, GroupIds = WithAdmin(owner.GroupIds) })
                .Put(target with { IsOwner = true, GroupIds = WithAdmin(target.GroupIds) });
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes one refresh token (and so its access tokens and sockets). Users may delete their own;
    /// administrators anyone's.
    /// </summary>
    public async Task DeleteRefreshTokenAsync(string actorUserId, string refreshTokenId,
        CancellationToken cancellationToken = default)
    {
        var data = _store.Current;
        var actor = RequireUser(data, actorUserId);
        if (!data.RefreshTokens.TryGetValue(refreshTokenId, out var token) || (token.UserId != actor.Id && !actor.IsAdmin))
        {
            throw AuthException.NotFound($"Refresh token {refreshTokenId}", "List your tokens with auth/refresh_tokens.");
        }

        await DeleteTokensAsync([token.Id], $"delete refresh token {token.Id}", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes the actor's refresh tokens, optionally only of one <paramref name="tokenType"/>, optionally
    /// keeping <paramref name="currentRefreshTokenId"/>. Returns how many were deleted.
    /// </summary>
    public async Task<int> DeleteAllRefreshTokensAsync(string actorUserId, string? tokenType = null,
        string? currentRefreshTokenId = null, bool deleteCurrent = true, CancellationToken cancellationToken = default)
    {
        var ids = _store.Current.RefreshTokens.Values
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

    private static User RequireUser(AuthData data, string userId) =>
        data.Users.GetValueOrDefault(userId)
        ?? throw AuthException.NotFound($"User {userId}", "Refresh the user list (config/auth/list) and try again.");

    private static User RequireAdmin(AuthData data, string actorUserId)
    {
        var actor = data.Users.GetValueOrDefault(actorUserId);
        if (actor is null || !actor.IsActive || !actor.IsAdmin) throw AuthException.NotAdmin();
        return actor;
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

    private static IReadOnlyList<string> WithAdmin(IReadOnlyList<string> groups) =>
        groups.Contains(Groups.Admin) ? groups : [Groups.Admin, .. groups.Where(g => g != Groups.ReadOnly)];

    private static AuthException OwnerProtected(string what) =>
        new(AuthErrorCodes.OwnerProtected,
            $"The owner cannot be {what}: the hub must always have exactly one active owner. " +
            "Transfer ownership to another user first (pihub/owner/transfer).");
}
