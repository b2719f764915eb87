using PiHub.Core.Auth.Model;
using PiHub.Core.Auth.Providers;
using PiHub.Core.Auth.Storage;

namespace PiHub.Core.Auth.Validation;

/// <summary>
/// Look-ups in one generation of auth data that refuse with an <see cref="AuthException"/>. Shared by the
/// parts of the auth system, which call them inside a change so the check and the write see the same data.
/// </summary>
internal static class AuthDataRules
{
    /// <summary>The user, or <c>not_found</c>.</summary>
    public static User RequireUser(AuthData data, string userId) =>
        data.Users.GetValueOrDefault(userId)
        ?? throw AuthException.NotFound($"User {userId}", "Refresh the user list (config/auth/list) and try again.");

    /// <summary>
    /// The actor when they are an active administrator (null for the console, which administers the hub from the
    /// operating system), or <c>unauthorized</c>.
    /// </summary>
    public static User? RequireAdmin(AuthData data, AuthActor actor)
    {
        if (actor.IsConsole) return null;
        var user = data.Users.GetValueOrDefault(actor.UserId!);
        if (user is null || !user.IsActive || !user.IsAdmin) throw AuthException.NotAdmin();
        return user;
    }

    /// <summary>The user's username and password (the <c>homeassistant</c> provider's credential), or null.</summary>
    public static Credential? FindPasswordCredential(AuthData data, string userId) =>
        data.Credentials.Values.FirstOrDefault(c =>
            c.UserId == userId && c.ProviderType == HomeAssistantAuthProvider.ProviderType);

    /// <summary>Refuses with <c>username_exists</c> when another user holds <paramref name="normalized"/>.</summary>
    public static void EnsureUsernameFree(AuthData data, string normalized, string? exceptUserId)
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
