using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PiHub.Core.Auth.Flows;
using PiHub.Core.Auth.Mfa;
using PiHub.Core.Auth.Model;
using PiHub.Core.Auth.Providers;
using PiHub.Core.Auth.Storage;
using PiHub.Core.Auth.Tokens;
using PiHub.Core.Auth.Users;
using PiHub.Core.Auth.Validation;

namespace PiHub.Core.Auth;

/// <summary>
/// The auth system's coordinator, shaped like Home Assistant's <c>homeassistant/auth</c>: it owns the write
/// gate, the events and the read-only queries, and hands each responsibility with its own state to a part —
/// <see cref="Flows"/>, <see cref="Tokens"/>, <see cref="AccessTokens"/>, <see cref="Users"/>,
/// <see cref="Passwords"/> and the MFA modules (<see cref="Mfa"/>, <see cref="Totp"/>). Every change any part
/// makes is one <see cref="AuthChangeSet"/> committed through <see cref="IAuthStore.CommitAsync"/> behind the
/// gate, so each is built from the data it will replace.
/// </summary>
public sealed class AuthManager : IDisposable
{
    private readonly IAuthStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    /// <summary>
    /// Creates the manager and its parts. The store must be open; the providers decide who can log in;
    /// <paramref name="clientPages"/> reads a client's page for the redirect URIs it declares (null: none are read).
    /// </summary>
    public AuthManager(
        IAuthStore store,
        PasswordHasher hasher,
        IAccessTokenCodec codec,
        AuthProviderRegistry providers,
        TimeProvider time,
        AuthOptions options,
        ILogger<AuthManager>? logger = null,
        IClientPageReader? clientPages = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        ArgumentNullException.ThrowIfNull(hasher);
        ArgumentNullException.ThrowIfNull(codec);
        Providers = providers ?? throw new ArgumentNullException(nameof(providers));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        Options = options ?? throw new ArgumentNullException(nameof(options));
        _logger = (ILogger?)logger ?? NullLogger.Instance;

        // Built in dependency order; each part reaches the store only through this coordinator.
        Passwords = new PasswordAdmin(this, hasher, _logger);
        Totp = new TotpMfaModule(this, Passwords, _logger);
        Mfa = new MfaModuleRegistry([Totp]);
        AccessTokens = new AccessTokenValidator(this, codec, _logger);
        Flows = new LoginFlowManager(this, Mfa, Passwords, new RedirectUriVerifier(clientPages));
        Tokens = new TokenService(this, codec, Flows, AccessTokens);
        Users = new UserAdmin(this, hasher, Flows, _logger);
    }

    /// <summary>
    /// Raised after a refresh token stops being usable: deleted, revoked, or its user deleted or
    /// deactivated. The WebSocket layer closes the connections authenticated with it.
    /// </summary>
    public event Action<string, RevocationReason>? RefreshTokenRevoked;

    /// <summary>Raised for every refused login or token request (wrong password, bad code or token).</summary>
    public event Action<LoginFailure>? LoginFailed;

    /// <summary>
    /// Raised for every completed login: the auth code is issued, after the second factor when the user has one. A
    /// refresh-token grant is not a login (it proves no password), nor is a password step still waiting for its code.
    /// </summary>
    public event Action<LoginSuccess>? LoginSucceeded;

    /// <summary>
    /// Raised after a commit removes or deactivates a user, or changes their groups or local-only flag, whichever part
    /// made the change: connections authorised under the old record close (Home Assistant checks every command against
    /// the user as they are now; PiHub's sockets would otherwise keep the rights they had when they connected).
    /// </summary>
    public event Action<UserAccessChange>? UserAccessChanged;

    /// <summary>The options in force.</summary>
    public AuthOptions Options { get; }

    /// <summary>The configured login providers.</summary>
    public AuthProviderRegistry Providers { get; }

    /// <summary>Login flows (HA's <c>/auth/login_flow</c>), their MFA step and the auth codes they end with.</summary>
    public LoginFlowManager Flows { get; }

    /// <summary>Token grants, revocation, long-lived tokens and each user's refresh tokens.</summary>
    public TokenService Tokens { get; }

    /// <summary>Bearer access-token checks on every request, with their cache and coalesced "last used".</summary>
    public AccessTokenValidator AccessTokens { get; }

    /// <summary>User administration: the owner at onboarding, users, groups and ownership transfer.</summary>
    public UserAdmin Users { get; }

    /// <summary>Usernames and passwords of the <c>homeassistant</c> provider.</summary>
    public PasswordAdmin Passwords { get; }

    /// <summary>The MFA modules by id (HA's <c>mfa_modules</c>).</summary>
    public MfaModuleRegistry Mfa { get; }

    /// <summary>The <c>totp</c> MFA module: authenticator-app set-up, recovery codes, disabling.</summary>
    public TotpMfaModule Totp { get; }

    /// <summary>The store's current data (immutable).</summary>
    public AuthData Data => _store.Current;

    /// <summary>Onboarding progress as committed.</summary>
    public OnboardingState GetOnboarding() => _store.Current.Onboarding;

    /// <summary>True once the owner exists (onboarding's user step is done).</summary>
    public bool IsOnboarded => _store.Current.Onboarding.UserDone;

    /// <summary>A user by id, or null.</summary>
    public User? GetUser(string userId) => _store.Current.Users.GetValueOrDefault(userId);

    /// <summary>Every user, system-generated ones included, ordered by creation.</summary>
    public IReadOnlyList<User> ListUsers() =>
        [.. _store.Current.Users.Values.OrderBy(u => u.CreatedAt).ThenBy(u => u.Id, StringComparer.Ordinal)];

    /// <summary>The credentials (usernames) of a user.</summary>
    public IReadOnlyList<Credential> GetCredentials(string userId) =>
        [.. _store.Current.Credentials.Values.Where(c => c.UserId == userId)];

    /// <summary>The providers offered to a caller at this address (HA's <c>/auth/providers</c>).</summary>
    public IReadOnlyList<AuthProvider> GetProviders(IPAddress? clientAddress)
    {
        EnsureOnboarded();
        return [.. Providers.All.Where(p => p.IsAvailableTo(clientAddress))];
    }

    /// <summary>
    /// Removes another user's second factors without a code (lost phone), every module's in one commit. Admins and
    /// the console only. Nobody resets their own (that is <see cref="TotpMfaModule.DisableAsync"/>, which asks for the
    /// password and a code), and only the console resets the owner's (<see cref="OwnerRules"/>), so a stolen
    /// admin session cannot strip a second factor. Returns false when the user had none. Users and groups are untouched.
    /// </summary>
    public async Task<bool> ResetMfaAsync(AuthActor actor, string userId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var removed = false;
        await MutateAsync(data =>
        {
            var user = RequireMfaResetAllowed(data, actor, userId);
            var set = new AuthChangeSet($"reset MFA of {user.Name} (by {actor})");
            foreach (var module in Mfa.All)
            {
                if (data.Mfa.TryGetValue(MfaEnrollment.IdFor(userId, module.Id), out var enrollment)) set.Delete(enrollment);
            }

            removed = !set.IsEmpty;
            return set;
        }, cancellationToken).ConfigureAwait(false);
        foreach (var module in Mfa.All) module.CancelSetup(userId);
        return removed;
    }

    /// <summary>
    /// Who may change another user's second factor without their code: an admin or the console, never on their own
    /// account, and the owner's only the console. Returns the user.
    /// </summary>
    internal static User RequireMfaResetAllowed(AuthData data, AuthActor actor, string userId)
    {
        AuthDataRules.RequireAdmin(data, actor);
        var user = AuthDataRules.RequireUser(data, userId);
        if (actor.Is(userId))
        {
            throw new AuthException(AuthErrorCodes.Unauthorized,
                "You cannot reset your own MFA; disable it with auth/depose_mfa (your password and a code or a " +
                "recovery code), or ask another administrator to reset it.");
        }

        OwnerRules.EnsureMayChangeOwnersAccount(actor, user, "second factor (MFA)", "pihub-cli mfa reset <username>");
        return user;
    }

    /// <inheritdoc/>
    public void Dispose() => _writeGate.Dispose();

    internal DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>
    /// The write gate: builds a change set from the current data and commits it, one change at a time. The builder
    /// may throw <see cref="AuthException"/>; store failures become <c>store_unavailable</c>.
    /// </summary>
    internal async Task<AuthData> MutateAsync(Func<AuthData, AuthChangeSet?> build, CancellationToken cancellationToken)
    {
        AuthData data;
        IReadOnlyList<UserAccessChange> access;
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var before = _store.Current;
            var changes = build(before);
            if (changes is null || changes.IsEmpty) return before;
            try
            {
                data = await _store.CommitAsync(changes, cancellationToken).ConfigureAwait(false);
                _logger.LogInformation("Auth change committed: {Description} (generation {Generation})",
                    changes.Description, data.Generation);
                access = UserAccessChange.Find(before, data, changes);
            }
            catch (AuthStoreException ex)
            {
                _logger.LogError(ex, "Auth change refused by the store: {Description}", changes.Description);
                throw new AuthException(AuthErrorCodes.StoreUnavailable, StoreFailureMessage(ex), ex);
            }
        }
        finally
        {
            _writeGate.Release();
        }

        foreach (var change in access) RaiseUserAccessChanged(change);
        return data;
    }

    private void RaiseUserAccessChanged(UserAccessChange change)
    {
        try
        {
            UserAccessChanged?.Invoke(change);
        }
        catch (Exception ex)
        {
            // A subscriber (closing sockets) must not undo or hide a committed change.
            _logger.LogError(ex, "A UserAccessChanged handler failed for user {UserId}", change.Before.Id);
        }
    }

    /// <summary>Forgets the tokens' in-memory state and tells subscribers they no longer work.</summary>
    internal void RaiseRevoked(IEnumerable<string> refreshTokenIds, RevocationReason reason = RevocationReason.TokenRevoked)
    {
        foreach (var id in refreshTokenIds)
        {
            AccessTokens.Forget(id);
            try
            {
                RefreshTokenRevoked?.Invoke(id, reason);
            }
            catch (Exception ex)
            {
                // A subscriber (e.g. closing a socket) must not undo or hide a committed revocation.
                _logger.LogError(ex, "A RefreshTokenRevoked handler failed for token {TokenId}", id);
            }
        }
    }

    /// <summary>Logs a refused login or token request and tells subscribers (bans count it).</summary>
    internal void RaiseLoginFailed(LoginFailure failure)
    {
        _logger.LogWarning("Login refused from {Address} (user {Username}): {Reason}",
            failure.ClientAddress, failure.Username ?? "-", failure.Reason);
        try
        {
            LoginFailed?.Invoke(failure);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "A LoginFailed handler failed");
        }
    }

    /// <summary>Tells subscribers a login completed (bans clear that username's failures from that address).</summary>
    internal void RaiseLoginSucceeded(LoginSuccess success)
    {
        try
        {
            LoginSucceeded?.Invoke(success);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "A LoginSucceeded handler failed");
        }
    }

    /// <summary>Refuses with <c>onboarding_required</c> until the owner exists.</summary>
    internal void EnsureOnboarded()
    {
        if (!IsOnboarded)
        {
            throw new AuthException(AuthErrorCodes.OnboardingRequired,
                "Onboarding not finished: create the owner first (open the hub in a browser, or POST /api/onboarding/users).");
        }
    }

    /// <summary>Why this user may not log in (or use a token) from this address now, or null when they may.</summary>
    internal string? RefuseLogin(string userId, IPAddress? clientAddress)
    {
        var user = GetUser(userId);
        if (user is null) return "invalid_auth";
        if (!user.IsActive) return "user_not_active";
        if (user.LocalOnly && !NetworkLocality.IsLocal(clientAddress)) return "login_local_only";
        return null;
    }

    private static string StoreFailureMessage(AuthStoreException ex) => ex.Error switch
    {
        AuthStoreError.ReadOnly =>
            $"The auth store is read-only ({ex.Message}); nothing was changed. Try again once the hub is writable " +
            "(check `pihub-cli status` on the hub).",
        AuthStoreError.InvariantViolated =>
            $"The change was refused because it would break the auth rules ({ex.Message}); nothing was changed.",
        _ => $"The auth store could not save the change ({ex.Message}); nothing was changed. Try again, and check " +
             "the hub's disk with `pihub-cli db check` if it keeps failing.",
    };
}
