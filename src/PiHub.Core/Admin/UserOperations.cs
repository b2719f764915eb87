using System.Globalization;
using PiHub.Core.Auth;
using PiHub.Core.Auth.Model;
using PiHub.Core.Auth.Providers;
using PiHub.Core.Auth.Storage;
using PiHub.Core.Auth.Tokens;
using PiHub.Core.Auth.Validation;

namespace PiHub.Core.Admin;

/// <summary><c>users …</c> and <c>owner …</c>: people, their usernames and passwords, and who owns the hub.</summary>
internal sealed class UserOperations(AdminContext context)
{
    private AuthManager Auth => context.Auth;

    public AdminResult List()
    {
        var data = Auth.Data;
        var users = Auth.ListUsers().Where(u => !u.SystemGenerated).Select(u => AdminContext.Describe(data, u)).ToList();
        return new AdminResult
        {
            Message = users.Count == 1 ? "1 user." : string.Create(CultureInfo.InvariantCulture, $"{users.Count} users."),
            Users = users,
            Generation = data.Generation,
        };
    }

    public async Task<AdminResult> AddAsync(AdminRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Username)) throw AdminException.Missing("The username", "pihub-cli users add alice --name Alice");
        var username = CredentialRules.ValidateUsername(request.Username);
        var name = CredentialRules.ValidateName(request.Name ?? request.Username);
        CredentialRules.ValidatePassword(request.Password);
        var (groups, role) = request.Role switch
        {
            null or "" or "user" => ((IReadOnlyList<string>)[Groups.Users], "user"),
            "admin" => ([Groups.Admin], "administrator"),
            "read-only" => ([Groups.ReadOnly], "read-only user"),
            _ => throw new AdminException(AdminFailure.Usage, AdminException.InvalidRequestCode,
                $"Unknown role \"{request.Role}\"; use --admin, --read-only, or neither for an ordinary user."),
        };

        // Hash outside the write gate, as the HTTP paths do: the hash costs a second of CPU on a Pi.
        var hash = context.Hasher.Hash(request.Password!);
        var now = Auth.Now;
        var user = new User { Id = Secrets.NewId(), Name = name, GroupIds = groups, CreatedAt = now };
        var credential = new Credential
        {
            Id = Secrets.NewId(),
            UserId = user.Id,
            ProviderType = HomeAssistantAuthProvider.ProviderType,
            Username = username,
            PasswordHash = hash,
            CreatedAt = now,
        };
        var data = await Auth.MutateAsync(d =>
        {
            AuthDataRules.EnsureUsernameFree(d, username, exceptUserId: null);
            return new AuthChangeSet($"create {role} {username} (pihub-cli)").Put(user).Put(credential);
        }, cancellationToken).ConfigureAwait(false);
        return new AdminResult
        {
            Message = $"Created {role} {username} ({name}); they can log in now.",
            User = AdminContext.Describe(data, user),
            Generation = data.Generation,
        };
    }

    public async Task<AdminResult> SetPasswordAsync(AdminRequest request, CancellationToken cancellationToken)
    {
        var user = AdminContext.RequireUser(Auth.Data, request.Username);
        CredentialRules.ValidatePassword(request.Password);
        var hash = context.Hasher.Hash(request.Password!);
        var revoked = new List<string>();
        var data = await Auth.MutateAsync(d =>
        {
            var credential = AuthDataRules.FindPasswordCredential(d, user.Id)
                ?? throw new AdminException(AdminFailure.Failed, AuthErrorCodes.NotFound,
                    $"{user.Name} has no username and password (a system user); create a person with `pihub-cli users add <username>`.");
            var set = new AuthChangeSet($"set password of {credential.Username} (pihub-cli)").Put(credential with { PasswordHash = hash });
            if (!request.KeepTokens) RevokeAll(d, user.Id, set, revoked);
            return set;
        }, cancellationToken).ConfigureAwait(false);
        Auth.RaiseRevoked(revoked, RevocationReason.PasswordChanged);
        var label = AdminContext.Label(data, user);
        return new AdminResult
        {
            Message = request.KeepTokens || revoked.Count == 0
                ? $"Password of {label} changed; they can log in with it now."
                : $"Password of {label} changed; {Sessions(revoked.Count)} ended, so every device logs in again with the new password.",
            User = AdminContext.Describe(data, data.Users[user.Id]),
            TokensRevoked = revoked.Count,
            Generation = data.Generation,
        };
    }

    public async Task<AdminResult> SetActiveAsync(AdminRequest request, bool active, CancellationToken cancellationToken)
    {
        var user = AdminContext.RequireUser(Auth.Data, request.Username);
        var revoked = new List<string>();
        var data = await Auth.MutateAsync(d =>
        {
            var current = d.Users[user.Id];
            if (current.IsActive == active) return null;
            if (current.IsOwner && !active)
            {
                throw new AdminException(AdminFailure.Failed, AuthErrorCodes.OwnerProtected,
                    $"{current.Name} is the owner and cannot be disabled; make someone else the owner first with `pihub-cli owner transfer <username>`.");
            }

            // Tokens are kept (enabling the user again restores them) but stop working at once.
            if (!active) revoked.AddRange(d.RefreshTokens.Values.Where(t => t.UserId == user.Id).Select(t => t.Id));
            return new AuthChangeSet($"{(active ? "enable" : "disable")} {current.Name} (pihub-cli)").Put(current with { IsActive = active });
        }, cancellationToken).ConfigureAwait(false);
        Auth.RaiseRevoked(revoked, RevocationReason.UserDeactivated);
        var label = AdminContext.Label(data, user);
        var changed = data.Users[user.Id].IsActive == active && user.IsActive != active;
        return new AdminResult
        {
            Message = !changed ? $"{label} is already {(active ? "enabled" : "disabled")}; nothing changed."
                : active ? $"{label} is enabled and can log in again."
                : $"{label} is disabled: they cannot log in, and their {Sessions(revoked.Count)} stopped working.",
            User = AdminContext.Describe(data, data.Users[user.Id]),
            TokensRevoked = revoked.Count,
            Generation = data.Generation,
        };
    }

    public async Task<AdminResult> RemoveAsync(AdminRequest request, CancellationToken cancellationToken)
    {
        var user = AdminContext.RequireUser(Auth.Data, request.Username);
        var label = AdminContext.Label(Auth.Data, user);
        var revoked = new List<string>();
        var data = await Auth.MutateAsync(d =>
        {
            var current = d.Users.GetValueOrDefault(user.Id) ?? throw AdminException.UnknownUser(label);
            if (current.IsOwner)
            {
                throw new AdminException(AdminFailure.Failed, AuthErrorCodes.OwnerProtected,
                    $"{current.Name} is the owner and cannot be removed; make someone else the owner first with `pihub-cli owner transfer <username>`.");
            }

            var set = new AuthChangeSet($"remove user {current.Name} (pihub-cli)").Delete(current);
            foreach (var c in d.Credentials.Values.Where(c => c.UserId == user.Id)) set.Delete(c);
            foreach (var m in d.Mfa.Values.Where(m => m.UserId == user.Id)) set.Delete(m);
            RevokeAll(d, user.Id, set, revoked);
            return set;
        }, cancellationToken).ConfigureAwait(false);
        Auth.RaiseRevoked(revoked, RevocationReason.UserRemoved);
        return new AdminResult
        {
            Message = $"Removed {label} with their password, MFA set-up and {Sessions(revoked.Count)}.",
            TokensRevoked = revoked.Count,
            Generation = data.Generation,
        };
    }

    public async Task<AdminResult> RenameAsync(AdminRequest request, CancellationToken cancellationToken)
    {
        var user = AdminContext.RequireUser(Auth.Data, request.Username);
        if (string.IsNullOrWhiteSpace(request.NewUsername)) throw AdminException.Missing("The new username", "pihub-cli users rename alice alice2");
        var newUsername = CredentialRules.ValidateUsername(request.NewUsername);
        var name = request.Name is null ? null : CredentialRules.ValidateName(request.Name);
        var data = await Auth.MutateAsync(d =>
        {
            var credential = AuthDataRules.FindPasswordCredential(d, user.Id)
                ?? throw new AdminException(AdminFailure.Failed, AuthErrorCodes.NotFound,
                    $"{user.Name} has no username to rename (a system user).");
            AuthDataRules.EnsureUsernameFree(d, newUsername, exceptUserId: user.Id);
            var set = new AuthChangeSet($"rename {credential.Username} to {newUsername} (pihub-cli)")
                .Put(credential with { Username = newUsername });
            if (name is not null) set.Put(d.Users[user.Id] with { Name = name });
            return set;
        }, cancellationToken).ConfigureAwait(false);
        return new AdminResult
        {
            Message = $"{request.Username!.Trim()} now logs in as {newUsername}" + (name is null ? "." : $" and is shown as {name}."),
            User = AdminContext.Describe(data, data.Users[user.Id]),
            Generation = data.Generation,
        };
    }

    public AdminResult ShowOwner()
    {
        var data = Auth.Data;
        if (data.Owner is not { } owner)
        {
            return new AdminResult
            {
                Message = data.Onboarding.RecoveryMode
                    ? "There is no owner: onboarding is open in recovery mode. Create the owner in the browser with the code from `pihub-cli onboarding code`, or make an existing user the owner with `pihub-cli owner transfer <username>`."
                    : "There is no owner yet: onboarding is open. Create the owner in the browser, or make an existing user the owner with `pihub-cli owner transfer <username>`.",
                Generation = data.Generation,
            };
        }

        var info = AdminContext.Describe(data, owner);
        return new AdminResult { Message = $"The owner is {info.Username ?? owner.Name} ({owner.Name}).", User = info, Generation = data.Generation };
    }

    /// <summary>
    /// Makes the user the owner; the old owner stays an administrator. With no owner at all (onboarding open,
    /// e.g. after a recovery) the user becomes the owner and onboarding closes, in the same commit.
    /// </summary>
    public async Task<AdminResult> TransferOwnerAsync(AdminRequest request, CancellationToken cancellationToken)
    {
        var target = AdminContext.RequireUser(Auth.Data, request.Username);
        string? previous = null;
        var data = await Auth.MutateAsync(d =>
        {
            var user = d.Users[target.Id];
            if (user.IsOwner) return null;
            if (!user.IsActive || user.SystemGenerated)
            {
                throw new AdminException(AdminFailure.Failed, AuthErrorCodes.InvalidRequest,
                    $"{user.Name} cannot become the owner: the owner must be an enabled person. Enable them first with `pihub-cli users enable {request.Username!.Trim()}`.");
            }

            if (AuthDataRules.FindPasswordCredential(d, user.Id) is null)
            {
                throw new AdminException(AdminFailure.Failed, AuthErrorCodes.InvalidRequest,
                    $"{user.Name} has no username and password, so they could not log in as the owner.");
            }

            var set = new AuthChangeSet($"make {user.Name} the owner (pihub-cli)")
                .Put(user with { IsOwner = true, GroupIds = WithAdmin(user.GroupIds) });
            if (d.Users.Values.FirstOrDefault(u => u.IsOwner) is { } old)
            {
                previous = AdminContext.Label(d, old);
                set.Put(old with { IsOwner = false, GroupIds = WithAdmin(old.GroupIds) });
            }
            else
            {
                set.Put(d.Onboarding with { UserDone = true, RecoveryMode = false, RecoveryCodeHash = null });
            }

            return set;
        }, cancellationToken).ConfigureAwait(false);
        var label = AdminContext.Label(data, target);
        return new AdminResult
        {
            Message = target.IsOwner ? $"{label} is already the owner; nothing changed."
                : previous is null ? $"{label} is now the owner, and onboarding is closed."
                : $"{label} is now the owner; {previous} stays an administrator.",
            User = AdminContext.Describe(data, data.Users[target.Id]),
            Generation = data.Generation,
        };
    }

    internal static void RevokeAll(AuthData data, string userId, AuthChangeSet set, List<string> revoked)
    {
        foreach (var t in data.RefreshTokens.Values.Where(t => t.UserId == userId))
        {
            set.Delete(t);
            revoked.Add(t.Id);
        }
    }

    internal static string Sessions(int count) =>
        count == 1 ? "1 session or token" : string.Create(CultureInfo.InvariantCulture, $"{count} sessions and tokens");

    private static IReadOnlyList<string> WithAdmin(IReadOnlyList<string> groups) =>
        groups.Contains(Groups.Admin) ? groups : [Groups.Admin, .. groups.Where(g => g != Groups.ReadOnly)];
}
