using Microsoft.Extensions.Logging;
using PiHub.Core.Auth.Mfa;
using PiHub.Core.Auth.Model;
using PiHub.Core.Auth.Storage;
using PiHub.Core.Auth.Tokens;

namespace PiHub.Core.Auth;

/// <summary>
/// TOTP enrolment and management: set-up (enabled only once a code is proven), recovery codes,
/// disabling with password and code, and the admin reset. The login step is in AuthManager.MfaLogin.cs.
/// </summary>
public sealed partial class AuthManager
{
    /// <summary>Wrong codes allowed per login flow or per set-up before it is ended.</summary>
    public const int MaxMfaTries = 5;

    /// <summary>The issuer shown by authenticator apps.</summary>
    public const string TotpIssuer = "PiHub";

    private static readonly TimeSpan s_totpSetupLifetime = TimeSpan.FromMinutes(10);

    private static readonly TimeSpan s_mfaChangeCooldown = TimeSpan.FromMinutes(5);

    private readonly ExpiringTable<PendingTotpSetup> _totpSetups = new(capacity: 1000);

    // Wrong codes per user in disable/regenerate: those need a session and the password, but without a limit a
    // stolen session plus password could still walk the 6-digit space. Only the user themselves is slowed down.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (int Count, DateTimeOffset Since)> _mfaChangeFailures =
        new(StringComparer.Ordinal);

    /// <summary>Whether the user has TOTP enabled (a set-up in progress does not count).</summary>
    public bool IsTotpEnabled(string userId) =>
        _store.Current.Mfa.TryGetValue(MfaEnrollment.IdFor(userId), out var m) && m.Enabled;

    /// <summary>
    /// Starts a TOTP set-up: a new secret and its <c>otpauth://</c> URI, kept in memory for 10 minutes.
    /// Nothing is stored or enabled until <see cref="ConfirmTotpSetupAsync"/> sees a valid code. Starting
    /// again replaces an unfinished set-up.
    /// </summary>
    public Task<TotpSetup> BeginTotpSetupAsync(string userId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var data = _store.Current;
        var user = RequireUser(data, userId);
        if (IsTotpEnabled(userId))
        {
            throw new AuthException(AuthErrorCodes.MfaAlreadyEnabled,
                $"{user.Name} already has an authenticator app set up. To move to a new one, disable it first " +
                "(auth/depose_mfa with your password and a code), then set it up again.");
        }

        var account = FindPasswordCredential(data, userId)?.Username ?? user.Name;
        var secret = TotpCodes.NewSecret();
        var uri = $"otpauth://totp/{Uri.EscapeDataString($"{TotpIssuer}:{account}")}?secret={secret}" +
                  $"&issuer={TotpIssuer}";
        var setup = new TotpSetup(Secrets.NewId(), secret, uri, Now + s_totpSetupLifetime);
        _totpSetups.Remove(userId);
        if (!_totpSetups.TryAdd(userId, new PendingTotpSetup(userId, setup), setup.ExpiresAt, Now))
        {
            throw new AuthException(AuthErrorCodes.InvalidRequest,
                "Too many MFA set-ups are in progress on this hub; try again in a few minutes.");
        }

        return Task.FromResult(setup);
    }

    /// <summary>The user's unfinished set-up, e.g. to show the form again after a wrong code.</summary>
    public bool TryGetTotpSetup(string userId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TotpSetup? setup)
    {
        setup = _totpSetups.TryGet(userId, Now, out var pending) ? pending.Setup : null;
        return setup is not null;
    }

    /// <summary>
    /// Finishes a set-up with a code from the app: enables TOTP and returns 10 one-time recovery codes, which are
    /// stored only as hashes (show them once). A wrong code throws <c>invalid_code</c>; after
    /// <see cref="MaxMfaTries"/> wrong codes the set-up is dropped (<c>too_many_retry</c>).
    /// </summary>
    /// <param name="userId">The user enrolling.</param>
    /// <param name="code">The 6-digit code the app shows.</param>
    /// <param name="flowId">When given, must be the <see cref="TotpSetup.FlowId"/> of the set-up in progress.</param>
    /// <param name="cancellationToken">Cancels the store write.</param>
    public async Task<IReadOnlyList<string>> ConfirmTotpSetupAsync(string userId, string code, string? flowId = null,
        CancellationToken cancellationToken = default)
    {
        if (!_totpSetups.TryGet(userId, Now, out var pending)
            || (flowId is not null && !Secrets.FixedTimeEquals(flowId, pending.Setup.FlowId)))
        {
            throw AuthException.NotFound("This MFA set-up",
                "It was finished, replaced or is older than 10 minutes; start again with auth/setup_mfa {\"mfa_module_id\":\"totp\"}.");
        }

        if (!TotpCodes.TryMatch(pending.Setup.Secret, TotpCodes.Clean(code), Now, out var step))
        {
            pending.Failures++;
            if (pending.Failures >= MaxMfaTries)
            {
                _totpSetups.Remove(userId);
                throw new AuthException(AuthErrorCodes.TooManyRetry,
                    $"{MaxMfaTries} wrong codes: this MFA set-up was cancelled. Check that the phone's clock is right, " +
                    "then start again with auth/setup_mfa {\"mfa_module_id\":\"totp\"}.");
            }

            throw InvalidCode("That code is not the one the authenticator app shows now. Enter the current 6-digit code.");
        }

        var (codes, hashes) = RecoveryCodes.Generate();
        await MutateAsync(data =>
        {
            var user = RequireUser(data, userId);
            if (data.Mfa.TryGetValue(MfaEnrollment.IdFor(userId), out var existing) && existing.Enabled)
            {
                throw new AuthException(AuthErrorCodes.MfaAlreadyEnabled,
                    $"{user.Name} already has an authenticator app set up; disable it first to set up another.");
            }

            return new AuthChangeSet($"enable TOTP for {user.Name}").Put(new MfaEnrollment
            {
                Id = MfaEnrollment.IdFor(userId),
                UserId = userId,
                Secret = pending.Setup.Secret,
                Enabled = true,
                LastUsedStep = step,
                RecoveryCodeHashes = hashes,
                CreatedAt = Now,
            });
        }, cancellationToken).ConfigureAwait(false);
        _totpSetups.Remove(userId);
        return codes;
    }

    /// <summary>
    /// Replaces the user's recovery codes with 10 new ones (the old ones stop working at once). Needs the
    /// password and a current code or an unused recovery code.
    /// </summary>
    public async Task<IReadOnlyList<string>> RegenerateRecoveryCodesAsync(string userId, string password, string code,
        CancellationToken cancellationToken = default)
    {
        RequirePasswordForMfaChange(userId, password);
        var (codes, hashes) = RecoveryCodes.Generate();
        await CountingCodeFailures(userId, MutateAsync(data =>
        {
            var proven = ProveSecondFactor(data, userId, code);
            return new AuthChangeSet($"new recovery codes for user {userId}")
                .Put(proven with { RecoveryCodeHashes = hashes });
        }, cancellationToken)).ConfigureAwait(false);
        return codes;
    }

    /// <summary>Turns TOTP off for the user. Needs the password and a current code or an unused recovery code.</summary>
    public async Task DisableTotpAsync(string userId, string password, string codeOrRecoveryCode,
        CancellationToken cancellationToken = default)
    {
        RequirePasswordForMfaChange(userId, password);
        await CountingCodeFailures(userId, MutateAsync(data =>
        {
            var proven = ProveSecondFactor(data, userId, codeOrRecoveryCode);
            return new AuthChangeSet($"disable TOTP for user {userId}").Delete(proven);
        }, cancellationToken)).ConfigureAwait(false);
        _totpSetups.Remove(userId);
    }

    /// <summary>
    /// Removes another user's TOTP set-up without a code (lost phone). Admins only. Nobody resets their own
    /// (that is <see cref="DisableTotpAsync"/>, which asks for the password and a code), and the owner's cannot be
    /// reset by an admin, so a stolen admin session cannot strip a second factor. Returns false when the user had
    /// none. Users and groups are untouched.
    /// </summary>
    public async Task<bool> ResetMfaAsync(string actorUserId, string userId, CancellationToken cancellationToken = default)
    {
        var removed = false;
        await MutateAsync(data =>
        {
            var actor = RequireAdmin(data, actorUserId);
            var user = RequireUser(data, userId);
            if (userId == actorUserId)
            {
                throw new AuthException(AuthErrorCodes.Unauthorized,
                    "You cannot reset your own MFA; disable it with auth/depose_mfa (your password and a code or a " +
                    "recovery code), or ask another administrator to reset it.");
            }

            if (user.IsOwner)
            {
                throw new AuthException(AuthErrorCodes.OwnerProtected,
                    "The owner's MFA cannot be reset by an administrator. The owner can log in with a recovery code " +
                    "and disable it with auth/depose_mfa.");
            }

            if (!data.Mfa.TryGetValue(MfaEnrollment.IdFor(userId), out var enrollment)) return null;
            removed = true;
            return new AuthChangeSet($"reset MFA of {user.Name} by {actor.Name}").Delete(enrollment);
        }, cancellationToken).ConfigureAwait(false);
        _totpSetups.Remove(userId);
        return removed;
    }

    private void RequirePasswordForMfaChange(string userId, string password)
    {
        if (_mfaChangeFailures.TryGetValue(userId, out var failures) && failures.Count >= MaxMfaTries)
        {
            var until = failures.Since + s_mfaChangeCooldown;
            if (until > Now)
            {
                throw new AuthException(AuthErrorCodes.TooManyRetry,
                    $"{MaxMfaTries} wrong codes: MFA changes for this account are paused until {until:HH:mm:ss} UTC. " +
                    "Try again then with the current code from the authenticator app or an unused recovery code.");
            }

            _mfaChangeFailures.TryRemove(userId, out _);
        }

        if (!VerifyPassword(userId, password))
        {
            throw new AuthException(AuthErrorCodes.InvalidAuth,
                "The password is wrong; nothing was changed. Enter the password you log in with.");
        }
    }

    /// <summary>Awaits an MFA change, counting an <c>invalid_code</c> refusal against the user; success clears the count.</summary>
    private async Task CountingCodeFailures(string userId, Task change)
    {
        try
        {
            await change.ConfigureAwait(false);
            _mfaChangeFailures.TryRemove(userId, out _);
        }
        catch (AuthException ex) when (ex.Code == AuthErrorCodes.InvalidCode)
        {
            var now = Now;
            _mfaChangeFailures.AddOrUpdate(userId, (1, now), (_, f) => (f.Count + 1, f.Count == 0 ? now : f.Since));
            throw;
        }
    }

    /// <summary>
    /// Checks a code or recovery code against the user's enabled enrolment inside a change and returns the
    /// enrolment as it must be stored: the TOTP step recorded, or the recovery code removed. Throws
    /// <c>invalid_code</c> when it does not match.
    /// </summary>
    private MfaEnrollment ProveSecondFactor(AuthData data, string userId, string code)
    {
        if (!data.Mfa.TryGetValue(MfaEnrollment.IdFor(userId), out var enrollment) || !enrollment.Enabled)
        {
            throw AuthException.NotFound("An authenticator app set-up for this user",
                "Set one up with auth/setup_mfa {\"mfa_module_id\":\"totp\"}.");
        }

        return TryUseSecondFactor(enrollment, code)
            ?? throw InvalidCode("That code is wrong or was already used; nothing was changed. Enter the current " +
                                 "6-digit code from the authenticator app, or an unused recovery code.");
    }

    /// <summary>
    /// The enrolment after using <paramref name="code"/>, or null when it is wrong. A TOTP code must be of a later
    /// step than the last one accepted (replay); a recovery code is removed. Both checks always run, so the
    /// time taken does not tell which kind of code matched.
    /// </summary>
    private MfaEnrollment? TryUseSecondFactor(MfaEnrollment enrollment, string? code)
    {
        var cleaned = TotpCodes.Clean(code);
        var totpOk = TotpCodes.TryMatch(enrollment.Secret, cleaned, Now, out var step) && step > enrollment.LastUsedStep;
        var recoveryIndex = RecoveryCodes.IndexOf(enrollment.RecoveryCodeHashes,
            RecoveryCodes.LooksLikeOne(cleaned) ? cleaned : "-");
        if (totpOk) return enrollment with { LastUsedStep = step };
        if (recoveryIndex < 0) return null;
        var remaining = enrollment.RecoveryCodeHashes.Where((_, i) => i != recoveryIndex).ToArray();
        _logger.LogWarning("A recovery code of user {UserId} was used; {Left} remain", enrollment.UserId, remaining.Length);
        return enrollment with { RecoveryCodeHashes = remaining };
    }

    private static AuthException InvalidCode(string message) => new(AuthErrorCodes.InvalidCode, message);
}
