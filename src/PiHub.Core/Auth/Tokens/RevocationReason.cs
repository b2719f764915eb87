namespace PiHub.Core.Auth.Tokens;

/// <summary>Why a refresh token stopped working: what the connections it authenticated are told as they close.</summary>
public enum RevocationReason
{
    /// <summary>The token itself was revoked (by its user, an admin or pihub-cli).</summary>
    TokenRevoked,

    /// <summary>Its user was deactivated; the token comes back if the user is enabled again.</summary>
    UserDeactivated,

    /// <summary>Its user was deleted.</summary>
    UserRemoved,

    /// <summary>Its user's password was changed or reset, which ends the user's other sessions.</summary>
    PasswordChanged,

    /// <summary>Its user logged in again with as many sessions open as a user may have, and this was the least recently used.</summary>
    SessionLimit,

    /// <summary>The whole auth store was reset or restored from a snapshot.</summary>
    StoreReplaced,
}
