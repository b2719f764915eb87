using PiHub.Core.Auth.Model;
using PiHub.Core.Auth.Storage;
using PiHub.Core.Auth.Validation;

namespace PiHub.Core.Auth.Users;

/// <summary>
/// Every rule about the owner, stated once. <see cref="UserAdmin"/>, <see cref="PasswordAdmin"/>, the MFA reset and
/// the console's recovery-code renewal call them inside their change, for a user of the API and for the console
/// (<see cref="AuthActor.Console"/>) alike, so a rule fixed here holds on both paths:
/// <list type="number">
/// <item>The hub always has exactly one active owner: nobody, the console included, deactivates or deletes the
/// owner or takes them out of the administrators (<c>owner_protected</c>).</item>
/// <item>Only the owner, or the console, changes the owner's password, username, second factor and restrictions
/// (groups, local-only); an administrator may not (<c>owner_only</c>). Anyone who may edit users may fix the
/// owner's display name.</item>
/// <item>Only the owner, or the console, hands ownership on (<c>unauthorized</c>); the new owner is an enabled
/// person with a username and password (<c>invalid_request</c>); both stay administrators.</item>
/// </list>
/// </summary>
internal static class OwnerRules
{
    private const string TransferHint =
        "Transfer ownership to someone else first: pihub/owner/transfer, or `pihub-cli owner transfer <username>` on the hub.";

    /// <summary>Rule 1: refuses deactivating the owner.</summary>
    public static void EnsureNotDeactivated(User user, bool? isActive)
    {
        if (user.IsOwner && isActive == false) throw OwnerProtected(user, "disabled");
    }

    /// <summary>Rule 1: refuses deleting the owner.</summary>
    public static void EnsureNotDeleted(User user)
    {
        if (user.IsOwner) throw OwnerProtected(user, "removed");
    }

    /// <summary>Rule 1: refuses taking the owner out of the administrators.</summary>
    public static void EnsureStaysAdmin(User user, IReadOnlyList<string>? groupIds)
    {
        if (user.IsOwner && groupIds is not null && !groupIds.Contains(Groups.Admin))
        {
            throw OwnerProtected(user, "removed from the administrators");
        }
    }

    /// <summary>
    /// Rule 2: refuses <paramref name="actor"/> changing <paramref name="what"/> of <paramref name="user"/> when the
    /// user is the owner and the actor is neither the owner nor the console. <paramref name="consoleCommand"/> is how
    /// the hub's console does it for a locked-out owner, if it can.
    /// </summary>
    public static void EnsureMayChangeOwnersAccount(AuthActor actor, User user, string what, string? consoleCommand = null)
    {
        if (!user.IsOwner || actor.IsConsole || actor.Is(user.Id)) return;
        throw new AuthException(AuthErrorCodes.OwnerOnly,
            $"Only the owner changes the owner's {what}; an administrator cannot (rule owner_only: nobody takes the " +
            "owner's place). Ask the owner to do it" +
            (consoleCommand is null ? "." : $", or, for a locked-out owner, run `sudo {consoleCommand}` on the hub."));
    }

    /// <summary>Rule 2 for an update: a change to anything but the display name (and the activity) of the owner's record.</summary>
    public static void EnsureMayUpdate(AuthActor actor, User user, UserUpdate update)
    {
        var restricts = (update.GroupIds is { } groups && !groups.Order(StringComparer.Ordinal).SequenceEqual(user.GroupIds.Order(StringComparer.Ordinal)))
            || (update.LocalOnly is { } localOnly && localOnly != user.LocalOnly);
        if (restricts) EnsureMayChangeOwnersAccount(actor, user, "groups and local-only restriction");
    }

    /// <summary>
    /// Rule 3: the change that makes <paramref name="target"/> the owner, or null when they already are. The old
    /// owner stays an administrator; with no owner at all (onboarding open, only the console gets here) onboarding
    /// closes in the same commit.
    /// </summary>
    public static AuthChangeSet? Transfer(AuthData data, AuthActor actor, User target, string source)
    {
        var owner = data.Owner;
        if (!actor.IsConsole && (owner is null || !actor.Is(owner.Id)))
        {
            throw new AuthException(AuthErrorCodes.Unauthorized,
                "Only the owner can transfer ownership; ask the owner, or run `pihub-cli owner transfer <username>` on the hub.");
        }

        if (target.IsOwner) return null;
        if (!target.IsActive || target.SystemGenerated)
        {
            throw new AuthException(AuthErrorCodes.InvalidRequest,
                $"{target.Name} cannot become the owner: the owner must be an enabled person, not a system user. " +
                "Enable them first (config/auth/update with is_active, or `pihub-cli users enable <username>` on the hub).");
        }

        if (AuthDataRules.FindPasswordCredential(data, target.Id) is null)
        {
            throw new AuthException(AuthErrorCodes.InvalidRequest,
                $"{target.Name} has no username and password yet, so they could not log in as the owner; give them one first " +
                "(config/auth_provider/homeassistant/create).");
        }

        var set = new AuthChangeSet($"make {target.Name} the owner ({source})")
            .Put(target with { IsOwner = true, GroupIds = WithAdmin(target.GroupIds) });
        return owner is null
            ? set.Put(data.Onboarding with { UserDone = true, RecoveryMode = false, RecoveryCodeHash = null })
            : set.Put(owner with { IsOwner = false, GroupIds = WithAdmin(owner.GroupIds) });
    }

    private static IReadOnlyList<string> WithAdmin(IReadOnlyList<string> groups) =>
        groups.Contains(Groups.Admin) ? groups : [Groups.Admin, .. groups.Where(g => g != Groups.ReadOnly)];

    private static AuthException OwnerProtected(User owner, string what) =>
        new(AuthErrorCodes.OwnerProtected,
            $"{owner.Name} is the owner and cannot be {what}: the hub must always have exactly one active owner. {TransferHint}");
}
