using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using Microsoft.Extensions.Logging;
using PiHub.Core.Auth.Model;
using PiHub.Core.Auth.Storage;
using PiHub.Core.Auth.Tokens;
using PiHub.Core.Auth.Users;
using PiHub.Core.Auth.Validation;

namespace PiHub.Core.Auth.Mfa;

/// <summary>
/// The <c>totp</c> module (authenticator apps): set-up kept in memory until a code is proven, one-time recovery
/// codes, disabling with password and code, and the login step's check with replay refusal. Owns the pending
/// set-ups and the per-user count of wrong codes in MFA changes.
/// </summary>
public sealed class TotpMfaModule : MfaModule
{
    /// <summary>The registry key, and <c>mfa_module_id</c> in HA's commands.</summary>
    public const string ModuleId = "totp";

    /// <summary>The issuer shown by authenticator apps.</summary>
    public const string Issuer = "PiHub";

    private static readonly TimeSpan s_setupLifetime = TimeSpan.FromMinutes(10);

    private static readonly TimeSpan s_changeCooldown = TimeSpan.FromMinutes(5);

    private readonly AuthManager _auth;
    private readonly PasswordAdmin _passwords;
    private readonly ILogger _logger;
    private readonly ExpiringTable<PendingTotpSetup> _setups = new(capacity: 1000);

    // Wrong codes per user in disable/regenerate: those need a session and the password, but without a limit a
    // stolen session plus password could still walk the 6-digit space. Only the user themselves is slowed down.
    private readonly ConcurrentDictionary<string, (int Count, DateTimeOffset Since)> _changeFailures =
        new(StringComparer.Ordinal);

    internal TotpMfaModule(AuthManager auth, PasswordAdmin passwords, ILogger logger)
    {
        _auth = auth;
        _passwords = passwords;
        _logger = logger;
    }

    /// <summary>Whether the hub's clock is synchronised (timesyncd's word; a fake in tests).</summary>
    public IClockStatus Clock { get; set; } = TimesyncClockStatus.System;

    /// <inheritdoc/>
    public override string Id => ModuleId;

    /// <inheritdoc/>
    public override string Name => "Authenticator app";

    /// <inheritdoc/>
    public override bool IsEnabledFor(string userId) =>
        _auth.Data.Mfa.TryGetValue(MfaEnrollment.IdFor(userId, ModuleId), out var m) && m.Enabled;

    /// <summary>
    /// A current TOTP code (of a step not used before) or an unused recovery code, recorded in the store before
    /// true is returned.
    /// </summary>
    public override async Task<bool> ValidateLoginAsync(string userId, IReadOnlyDictionary<string, string> input,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        input.TryGetValue("code", out var code);
        var accepted = false;
        await _auth.MutateAsync(data =>
        {
            // Checked and recorded under the write gate: two requests with the same code cannot both pass.
            var enrollment = data.Mfa.GetValueOrDefault(MfaEnrollment.IdFor(userId, ModuleId));
            var used = enrollment is { Enabled: true } ? TryUseSecondFactor(enrollment, code) : null;
            if (used is null) return null;
            accepted = true;
            return new AuthChangeSet($"MFA code used by user {userId}").Put(used);
        }, cancellationToken).ConfigureAwait(false);
        return accepted;
    }

    /// <inheritdoc/>
    public override void CancelSetup(string userId) => _setups.Remove(userId);

    /// <summary>
    /// Starts a set-up: a new secret and its <c>otpauth://</c> URI, kept in memory for 10 minutes.
    /// Nothing is stored or enabled until <see cref="ConfirmSetupAsync"/> sees a valid code. Starting
    /// again replaces an unfinished set-up.
    /// </summary>
    public Task<TotpSetup> BeginSetupAsync(string userId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var data = _auth.Data;
        var user = AuthDataRules.RequireUser(data, userId);
        if (IsEnabledFor(userId))
        {
            throw new AuthException(AuthErrorCodes.MfaAlreadyEnabled,
                $"{user.Name} already has an authenticator app set up. To move to a new one, disable it first " +
                "(auth/depose_mfa with your password and a code), then set it up again.");
        }

        var account = AuthDataRules.FindPasswordCredential(data, userId)?.Username ?? user.Name;
        var secret = TotpCodes.NewSecret();
        var uri = $"otpauth://totp/{Uri.EscapeDataString($"{Issuer}:{account}")}?secret={secret}" +
                  $"&issuer={Issuer}";
        var now = _auth.Now;
        var setup = new TotpSetup(Secrets.NewId(), secret, uri, now + s_setupLifetime);
        _setups.Remove(userId);
        if (!_setups.TryAdd(userId, new PendingTotpSetup(userId, setup), setup.ExpiresAt, now))
        {
            throw new AuthException(AuthErrorCodes.InvalidRequest,
                "Too many MFA set-ups are in progress on this hub; try again in a few minutes.");
        }

        return Task.FromResult(setup);
    }

    /// <summary>The user's unfinished set-up, e.g. to show the form again after a wrong code.</summary>
    public bool TryGetSetup(string userId, [NotNullWhen(true)] out TotpSetup? setup)
    {
        setup = _setups.TryGet(userId, _auth.Now, out var pending) ? pending.Setup : null;
        return setup is not null;
    }

    /// <summary>
    /// Finishes a set-up with a code from the app: enables TOTP and returns 10 one-time recovery codes, which are
    /// stored only as hashes (show them once). A wrong code throws <c>invalid_code</c>; after
    /// <see cref="MfaModule.MaxTries"/> wrong codes the set-up is dropped (<c>too_many_retry</c>).
    /// </summary>
    /// <param name="userId">The user enrolling.</param>
    /// <param name="code">The 6-digit code the app shows.</param>
    /// <param name="flowId">When given, must be the <see cref="TotpSetup.FlowId"/> of the set-up in progress.</param>
    /// <param name="cancellationToken">Cancels the store write.</param>
    public async Task<IReadOnlyList<string>> ConfirmSetupAsync(string userId, string code, string? flowId = null,
        CancellationToken cancellationToken = default)
    {
        if (!_setups.TryGet(userId, _auth.Now, out var pending)
            || (flowId is not null && !Secrets.FixedTimeEquals(flowId, pending.Setup.FlowId)))
        {
            throw AuthException.NotFound("This MFA set-up",
                "It was finished, replaced or is older than 10 minutes; start again with auth/setup_mfa {\"mfa_module_id\":\"totp\"}.");
        }

        if (!TotpCodes.TryMatch(pending.Setup.Secret, TotpCodes.Clean(code), _auth.Now, out var step))
        {
            pending.Failures++;
            if (pending.Failures >= MaxTries)
            {
                _setups.Remove(userId);
                throw new AuthException(AuthErrorCodes.TooManyRetry,
                    $"{MaxTries} wrong codes: this MFA set-up was cancelled. Check that the phone's clock is right, " +
                    "then start again with auth/setup_mfa {\"mfa_module_id\":\"totp\"}.");
            }

            throw InvalidCode("That code is not the one the authenticator app shows now. Enter the current 6-digit code.");
        }

        var (codes, hashes) = RecoveryCodes.Generate();
        await _auth.MutateAsync(data =>
        {
            var user = AuthDataRules.RequireUser(data, userId);
            if (data.Mfa.TryGetValue(MfaEnrollment.IdFor(userId, ModuleId), out var existing) && existing.Enabled)
            {
                throw new AuthException(AuthErrorCodes.MfaAlreadyEnabled,
                    $"{user.Name} already has an authenticator app set up; disable it first to set up another.");
            }

            return new AuthChangeSet($"enable TOTP for {user.Name}").Put(new MfaEnrollment
            {
                Id = MfaEnrollment.IdFor(userId, ModuleId),
                UserId = userId,
                ModuleId = ModuleId,
                Secret = pending.Setup.Secret,
                Enabled = true,
                LastUsedStep = step,
                RecoveryCodeHashes = hashes,
                CreatedAt = _auth.Now,
            });
        }, cancellationToken).ConfigureAwait(false);
        _setups.Remove(userId);
        return codes;
    }

    /// <summary>
    /// Replaces the user's recovery codes with 10 new ones (the old ones stop working at once). Needs the
    /// password and a current code or an unused recovery code; a wrong one is a failed login from
    /// <paramref name="clientAddress"/>.
    /// </summary>
    public async Task<IReadOnlyList<string>> RegenerateRecoveryCodesAsync(string userId, string password, string code,
        IPAddress? clientAddress = null, CancellationToken cancellationToken = default)
    {
        RequirePasswordForChange(userId, password, clientAddress);
        var (codes, hashes) = RecoveryCodes.Generate();
        await CountingCodeFailures(userId, clientAddress, _auth.MutateAsync(data =>
        {
            var proven = ProveSecondFactor(data, userId, code);
            return new AuthChangeSet($"new recovery codes for user {userId}")
                .Put(proven with { RecoveryCodeHashes = hashes });
        }, cancellationToken)).ConfigureAwait(false);
        return codes;
    }

    /// <summary>
    /// Replaces another user's recovery codes without their code (admin or console, as <see cref="AuthManager.ResetMfaAsync"/>;
    /// <c>pihub-cli mfa recovery-codes</c>). Refused with <c>not_found</c> when the user has no authenticator app.
    /// </summary>
    public async Task<IReadOnlyList<string>> ReplaceRecoveryCodesAsync(AuthActor actor, string userId,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var (codes, hashes) = RecoveryCodes.Generate();
        await _auth.MutateAsync(data =>
        {
            var user = AuthManager.RequireMfaResetAllowed(data, actor, userId);
            if (!data.Mfa.TryGetValue(MfaEnrollment.IdFor(userId, ModuleId), out var enrollment) || !enrollment.Enabled)
            {
                throw new AuthException(AuthErrorCodes.NotFound,
                    $"{user.Name} has no authenticator app set up, so there are no recovery codes to renew; they can set one up in their profile.");
            }

            return new AuthChangeSet($"new recovery codes for {user.Name} (by {actor})").Put(enrollment with { RecoveryCodeHashes = hashes });
        }, cancellationToken).ConfigureAwait(false);
        return codes;
    }

    /// <summary>
    /// Turns TOTP off for the user. Needs the password and a current code or an unused recovery code; a wrong one is a
    /// failed login from <paramref name="clientAddress"/>.
    /// </summary>
    public async Task DisableAsync(string userId, string password, string codeOrRecoveryCode,
        IPAddress? clientAddress = null, CancellationToken cancellationToken = default)
    {
        RequirePasswordForChange(userId, password, clientAddress);
        await CountingCodeFailures(userId, clientAddress, _auth.MutateAsync(data =>
        {
            var proven = ProveSecondFactor(data, userId, codeOrRecoveryCode);
            return new AuthChangeSet($"disable TOTP for user {userId}").Delete(proven);
        }, cancellationToken)).ConfigureAwait(false);
        _setups.Remove(userId);
    }

    private void RequirePasswordForChange(string userId, string password, IPAddress? clientAddress)
    {
        if (_changeFailures.TryGetValue(userId, out var failures) && failures.Count >= MaxTries)
        {
            var until = failures.Since + s_changeCooldown;
            if (until > _auth.Now)
            {
                throw new AuthException(AuthErrorCodes.TooManyRetry,
                    $"{MaxTries} wrong codes: MFA changes for this account are paused until {until:HH:mm:ss} UTC. " +
                    "Try again then with the current code from the authenticator app or an unused recovery code.");
            }

            _changeFailures.TryRemove(userId, out _);
        }

        if (!_passwords.Verify(userId, password))
        {
            _auth.RaiseLoginFailed(new LoginFailure(clientAddress, UsernameOf(userId), AuthErrorCodes.InvalidAuth));
            throw new AuthException(AuthErrorCodes.InvalidAuth,
                "The password is wrong; nothing was changed. Enter the password you log in with.");
        }
    }

    /// <summary>
    /// Awaits an MFA change, counting an <c>invalid_code</c> refusal against the user (and as a failed login from the
    /// address); success clears the user's count.
    /// </summary>
    private async Task CountingCodeFailures(string userId, IPAddress? clientAddress, Task change)
    {
        try
        {
            await change.ConfigureAwait(false);
            _changeFailures.TryRemove(userId, out _);
        }
        catch (AuthException ex) when (ex.Code == AuthErrorCodes.InvalidCode)
        {
            var now = _auth.Now;
            _changeFailures.AddOrUpdate(userId, (1, now), (_, f) => (f.Count + 1, f.Count == 0 ? now : f.Since));
            _auth.RaiseLoginFailed(new LoginFailure(clientAddress, UsernameOf(userId), AuthErrorCodes.InvalidCode));
            throw;
        }
    }

    private string? UsernameOf(string userId) => AuthDataRules.FindPasswordCredential(_auth.Data, userId)?.Username;

    /// <summary>
    /// Checks a code or recovery code against the user's enabled enrolment inside a change and returns the
    /// enrolment as it must be stored: the TOTP step recorded, or the recovery code removed. Throws
    /// <c>invalid_code</c> when it does not match.
    /// </summary>
    private MfaEnrollment ProveSecondFactor(AuthData data, string userId, string code)
    {
        if (!data.Mfa.TryGetValue(MfaEnrollment.IdFor(userId, ModuleId), out var enrollment) || !enrollment.Enabled)
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
        var totpOk = TotpCodes.TryMatch(enrollment.Secret, cleaned, _auth.Now, out var step) && step > enrollment.LastUsedStep;
        var recoveryIndex = RecoveryCodes.IndexOf(enrollment.RecoveryCodeHashes,
            RecoveryCodes.LooksLikeOne(cleaned) ? cleaned : "-");
        if (totpOk) return enrollment with { LastUsedStep = step };
        if (recoveryIndex < 0) return null;
        var remaining = enrollment.RecoveryCodeHashes.Where((_, i) => i != recoveryIndex).ToArray();
        _logger.LogWarning("A recovery code of user {UserId} was used; {Left} remain", enrollment.UserId, remaining.Length);
        return enrollment with { RecoveryCodeHashes = remaining };
    }

    /// <summary>While the hub's clock is not yet synchronised: that its codes may be off, and the hub's time.</summary>
    public override string? WrongCodeHint() => Clock.IsSynchronized
        ? null
        : $"The hub's clock may be wrong: it has not been synchronised with network time since it started (a Raspberry Pi has no clock " +
          $"of its own) and reads {_auth.Now:yyyy-MM-dd HH:mm:ss} UTC, and codes follow the clock. Connect the hub to the internet and " +
          "wait until `timedatectl` on it says \"System clock synchronized: yes\", or use a recovery code.";

    private AuthException InvalidCode(string message) =>
        new(AuthErrorCodes.InvalidCode, WrongCodeHint() is { } hint ? $"{message} {hint}" : message);
}
