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

        var (user, _) = await Auth.Users.CreatePersonAsync(AuthActor.Console, name, groups, username, request.Password!, cancellationToken)
            .ConfigureAwait(false);
        var data = Auth.Data;
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
        var revoked = await Auth.Passwords.AdminChangeAsync(AuthActor.Console, user.Id, request.Password!, !request.KeepTokens, cancellationToken)
            .ConfigureAwait(false);
        var data = Auth.Data;
        var label = AdminContext.Label(data, user);
        return new AdminResult
        {
            Message = request.KeepTokens || revoked == 0
                ? $"Password of {label} changed; they can log in with it now."
                : $"Password of {label} changed; {Sessions(revoked)} ended, so every device logs in again with the new password.",
            User = AdminContext.Describe(data, data.Users[user.Id]),
            TokensRevoked = revoked,
            Generation = data.Generation,
        };
    }

    public async Task<AdminResult> SetActiveAsync(AdminRequest request, bool active, CancellationToken cancellationToken)
    {
        var user = AdminContext.RequireUser(Auth.Data, request.Username);
        await Auth.Users.UpdateAsync(AuthActor.Console, user.Id, new UserUpdate { IsActive = active }, cancellationToken).ConfigureAwait(false);
        var data = Auth.Data;
        // A disabled user's tokens are kept (enabling them again restores them) but stop working at once.
        var tokens = data.RefreshTokens.Values.Count(t => t.UserId == user.Id);
        var label = AdminContext.Label(data, user);
        var changed = data.Users[user.Id].IsActive == active && user.IsActive != active;
        return new AdminResult
        {
            Message = !changed ? $"{label} is already {(active ? "enabled" : "disabled")}; nothing changed."
                : active ? $"{label} is enabled and can log in again."
                : $"{label} is disabled: they cannot log in, and their {Sessions(tokens)} stopped working.",
            User = AdminContext.Describe(data, data.Users[user.Id]),
            TokensRevoked = changed && !active ? tokens : 0,
            Generation = data.Generation,
        };
    }

    public async Task<AdminResult> RemoveAsync(AdminRequest request, CancellationToken cancellationToken)
    {
        var user = AdminContext.RequireUser(Auth.Data, request.Username);
        var label = AdminContext.Label(Auth.Data, user);
        var revoked = await Auth.Users.DeleteAsync(AuthActor.Console, user.Id, cancellationToken).ConfigureAwait(false);
        return new AdminResult
        {
            Message = $"Removed {label} with their password, MFA set-up and {Sessions(revoked)}.",
            TokensRevoked = revoked,
            Generation = Auth.Data.Generation,
        };
    }

    public async Task<AdminResult> RenameAsync(AdminRequest request, CancellationToken cancellationToken)
    {
        var user = AdminContext.RequireUser(Auth.Data, request.Username);
        if (string.IsNullOrWhiteSpace(request.NewUsername)) throw AdminException.Missing("The new username", "pihub-cli users rename alice alice2");
        var credential = await Auth.Passwords.ChangeUsernameAsync(AuthActor.Console, user.Id, request.NewUsername, request.Name, cancellationToken)
            .ConfigureAwait(false);
        var data = Auth.Data;
        var newUsername = credential.Username;
        var name = request.Name is null ? null : data.Users[user.Id].Name;
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
        var old = await Auth.Users.TransferOwnershipAsync(AuthActor.Console, target.Id, cancellationToken).ConfigureAwait(false);
        var data = Auth.Data;
        var previous = old is null ? null : AdminContext.Label(data, old);
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

    internal static string Sessions(int count) =>
        count == 1 ? "1 session or token" : string.Create(CultureInfo.InvariantCulture, $"{count} sessions and tokens");
}
