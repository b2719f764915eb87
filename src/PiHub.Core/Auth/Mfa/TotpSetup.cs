namespace PiHub.Core.Auth.Mfa;

/// <summary>
/// A TOTP enrolment in progress: what the user types or scans into an authenticator app. Nothing is
/// enabled until <see cref="TotpMfaModule.ConfirmSetupAsync"/> sees a code made from this secret.
/// </summary>
/// <param name="FlowId">Random id of this set-up; a confirmation naming another id is refused.</param>
/// <param name="Secret">The base32 secret (shown to type in by hand).</param>
/// <param name="Uri">The <c>otpauth://totp/…</c> URI, for a QR code.</param>
/// <param name="ExpiresAt">When the set-up is forgotten unless confirmed.</param>
public sealed record TotpSetup(string FlowId, string Secret, string Uri, DateTimeOffset ExpiresAt);
