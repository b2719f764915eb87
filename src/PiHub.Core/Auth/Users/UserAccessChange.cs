using PiHub.Core.Auth.Model;
using PiHub.Core.Auth.Storage;

namespace PiHub.Core.Auth.Users;

/// <summary>
/// A committed change to what a user may do: removed, deactivated, moved between groups, or made local-only (or not).
/// Open connections of that user were authorised under the old record; the WebSocket layer closes them with
/// <see cref="Reason"/> so the client reconnects with the rights the user has now.
/// </summary>
/// <param name="Before">The user as the connections knew them.</param>
/// <param name="After">The user now; null when removed.</param>
public sealed record UserAccessChange(User Before, User? After)
{
    /// <summary>What a closed connection is told (a WebSocket close reason: at most 123 bytes).</summary>
    public string Reason => After switch
    {
        null => "User removed: this account no longer exists on the hub.",
        { IsActive: false } => "User deactivated: an administrator turned this account off.",
        _ when !Before.GroupIds.SequenceEqual(After.GroupIds) =>
            $"Your groups changed to {string.Join(", ", After.GroupIds)}; reconnect to go on with those rights.",
        { LocalOnly: true } => "This account is now local-only; reconnect from the local network.",
        _ => "This account's access changed; reconnect.",
    };

    /// <summary>
    /// Whether a connection of this user, local to the hub's network or not, was authorised under rights the user no
    /// longer has. Removal, deactivation and a change of groups end every connection; becoming local-only ends only
    /// those from outside the local network (a local one may go on: closing it would cut off an owner who made
    /// themselves local-only from the dashboard, before the answer arrived); no longer local-only ends none.
    /// </summary>
    public bool Ends(bool connectionIsLocal) => After switch
    {
        null or { IsActive: false } => true,
        _ when !Before.GroupIds.SequenceEqual(After.GroupIds) => true,
        { LocalOnly: true } => !Before.LocalOnly && !connectionIsLocal,
        _ => false,
    };

    /// <summary>The access changes among the users a commit touched (from <paramref name="before"/> to <paramref name="after"/>).</summary>
    public static IReadOnlyList<UserAccessChange> Find(AuthData before, AuthData after, AuthChangeSet changes)
    {
        List<UserAccessChange>? found = null;
        foreach (var change in changes.Changes)
        {
            if (change.Kind != AuthRecordKind.User || !before.Users.TryGetValue(change.Id, out var old)) continue;
            var now = after.Users.GetValueOrDefault(change.Id);
            if (now is not null && now.IsActive == old.IsActive && now.LocalOnly == old.LocalOnly && now.GroupIds.SequenceEqual(old.GroupIds)) continue;
            (found ??= []).Add(new UserAccessChange(old, now));
        }

        return found ?? (IReadOnlyList<UserAccessChange>)[];
    }
}
