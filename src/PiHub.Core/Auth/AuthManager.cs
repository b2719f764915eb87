using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PiHub.Core.Auth.Flows;
using PiHub.Core.Auth.Model;
using PiHub.Core.Auth.Providers;
using PiHub.Core.Auth.Storage;
using PiHub.Core.Auth.Tokens;

namespace PiHub.Core.Auth;

/// <summary>
/// The auth system's facade: onboarding, login flows, auth codes, refresh and access tokens,
/// long-lived tokens and user administration. Every change is one <see cref="AuthChangeSet"/>
/// committed through <see cref="IAuthStore.CommitAsync"/>; changes are serialised so each is
/// built from the data it will replace. One partial file per operation family.
/// </summary>
public sealed partial class AuthManager : IDisposable
{
    private readonly IAuthStore _store;
    private readonly PasswordHasher _hasher;
    private readonly IAccessTokenCodec _codec;
    private readonly AuthProviderRegistry _providers;
    private readonly TimeProvider _time;
    private readonly AuthOptions _options;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly ExpiringTable<PendingFlow> _flows;
    private readonly ExpiringTable<PendingAuthCode> _codes;

    /// <summary>Creates the manager. The store must be open; the providers decide who can log in.</summary>
    public AuthManager(
        IAuthStore store,
        PasswordHasher hasher,
        IAccessTokenCodec codec,
        AuthProviderRegistry providers,
        TimeProvider time,
        AuthOptions options,
        ILogger<AuthManager>? logger = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _hasher = hasher ?? throw new ArgumentNullException(nameof(hasher));
        _codec = codec ?? throw new ArgumentNullException(nameof(codec));
        _providers = providers ?? throw new ArgumentNullException(nameof(providers));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _flows = new ExpiringTable<PendingFlow>(options.MaxPendingFlows);
        _codes = new ExpiringTable<PendingAuthCode>(options.MaxPendingFlows);
    }

    /// <summary>
    /// Raised after a refresh token stops being usable: deleted, revoked, or its user deleted or
    /// deactivated. The WebSocket layer closes the connections authenticated with it.
    /// </summary>
    public event Action<string>? RefreshTokenRevoked;

    /// <summary>Raised for every refused login or token request (wrong password, bad code or token).</summary>
    public event Action<LoginFailure>? LoginFailed;

    /// <summary>The options in force.</summary>
    public AuthOptions Options => _options;

    /// <summary>The configured login providers.</summary>
    public AuthProviderRegistry Providers => _providers;

    /// <summary>The store's current data (immutable).</summary>
    public AuthData Data => _store.Current;

    /// <summary>A user by id, or null.</summary>
    public User? GetUser(string userId) => _store.Current.Users.GetValueOrDefault(userId);

    /// <summary>Every user, system-generated ones included, ordered by creation.</summary>
    public IReadOnlyList<User> ListUsers() =>
        [.. _store.Current.Users.Values.OrderBy(u => u.CreatedAt).ThenBy(u => u.Id, StringComparer.Ordinal)];

    /// <summary>The credentials (usernames) of a user.</summary>
    public IReadOnlyList<Credential> GetCredentials(string userId) =>
        [.. _store.Current.Credentials.Values.Where(c => c.UserId == userId)];

    /// <inheritdoc/>
    public void Dispose() => _writeGate.Dispose();

    /// <summary>
    /// Builds a change set from the current data and commits it, one change at a time. The builder
    /// may throw <see cref="AuthException"/>; store failures become <c>store_unavailable</c>.
    /// </summary>
    private async Task<AuthData> MutateAsync(Func<AuthData, AuthChangeSet?> build, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var changes = build(_store.Current);
            if (changes is null || changes.IsEmpty) return _store.Current;
            try
            {
                var data = await _store.CommitAsync(changes, cancellationToken).ConfigureAwait(false);
                _logger.LogInformation("Auth change committed: {Description} (generation {Generation})",
                    changes.Description, data.Generation);
                return data;
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

    private void RaiseRevoked(IEnumerable<string> refreshTokenIds)
    {
        foreach (var id in refreshTokenIds)
        {
            ForgetToken(id);
            try
            {
                RefreshTokenRevoked?.Invoke(id);
            }
            catch (Exception ex)
            {
                // A subscriber (e.g. closing a socket) must not undo or hide a committed revocation.
                _logger.LogError(ex, "A RefreshTokenRevoked handler failed for token {TokenId}", id);
            }
        }
    }

    private void RaiseLoginFailed(LoginFailure failure)
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

    private DateTimeOffset Now => _time.GetUtcNow();
}
