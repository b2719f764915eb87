using PiHub.Core.Auth;
using PiHub.Core.Auth.Bans;
using PiHub.Core.Auth.Model;
using PiHub.Core.Auth.Providers;
using PiHub.Core.Auth.Storage;
using PiHub.Core.Auth.Validation;

namespace PiHub.Core.Admin;

/// <summary>
/// What the administration operations work on: the auth system, bans and the store, whether they are the
/// running service's (admin socket) or opened by <c>pihub-cli</c> itself (service stopped).
/// </summary>
public sealed class AdminContext
{
    public AdminContext(AuthManager auth, BanManager bans, IAuthStore store, IAuthStoreAdmin storeAdmin,
        PasswordHasher hasher, string version)
    {
        Auth = auth ?? throw new ArgumentNullException(nameof(auth));
        Bans = bans ?? throw new ArgumentNullException(nameof(bans));
        Store = store ?? throw new ArgumentNullException(nameof(store));
        StoreAdmin = storeAdmin ?? throw new ArgumentNullException(nameof(storeAdmin));
        Hasher = hasher ?? throw new ArgumentNullException(nameof(hasher));
        Version = version;
    }

    public AuthManager Auth { get; }

    public BanManager Bans { get; }

    public IAuthStore Store { get; }

    public IAuthStoreAdmin StoreAdmin { get; }

    public PasswordHasher Hasher { get; }

    /// <summary>The hub's version, for <c>status</c>.</summary>
    public string Version { get; }

    /// <summary>The power monitor (<c>status</c>, <c>power simulate</c>): the service's, or <see cref="StoppedPower"/>; null: none reported.</summary>
    public IPowerAdmin? Power { get; init; }

    /// <summary>The user with this username (or id), or a <c>not_found</c> failure naming <c>users list</c>.</summary>
    internal static User RequireUser(AuthData data, string? username)
    {
        if (string.IsNullOrWhiteSpace(username)) throw AdminException.Missing("The username", "pihub-cli users passwd alice");
        var normalized = CredentialRules.NormalizeUsername(username);
        var credential = data.Credentials.Values.FirstOrDefault(c =>
            c.ProviderType == HomeAssistantAuthProvider.ProviderType && c.Username == normalized);
        if (credential is not null && data.Users.TryGetValue(credential.UserId, out var user)) return user;
        return data.Users.GetValueOrDefault(username.Trim()) ?? throw AdminException.UnknownUser(username.Trim());
    }

    /// <summary>How the CLI shows a user.</summary>
    internal static AdminUserInfo Describe(AuthData data, User user)
    {
        var mfa = data.Mfa.Values.Where(m => m.UserId == user.Id && m.Enabled).ToList();
        return new AdminUserInfo(
            user.Id,
            user.Name,
            AuthDataRules.FindPasswordCredential(data, user.Id)?.Username,
            user.IsOwner,
            user.IsAdmin,
            user.IsActive,
            user.IsReadOnly,
            mfa.Count > 0,
            mfa.Sum(m => m.RecoveryCodeHashes.Count),
            data.RefreshTokens.Values.Count(t => t.UserId == user.Id),
            user.CreatedAt);
    }

    /// <summary>The name a person knows a user by: the username, else the display name.</summary>
    internal static string Label(AuthData data, User user) =>
        AuthDataRules.FindPasswordCredential(data, user.Id)?.Username ?? user.Name;
}
