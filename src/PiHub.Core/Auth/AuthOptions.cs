namespace PiHub.Core.Auth;

/// <summary>Lifetimes and limits of the auth system. The defaults are Home Assistant's.</summary>
public sealed class AuthOptions
{
    /// <summary>Lifetime of an access token issued for a normal refresh token (HA: 30 minutes).</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long an auth code from a login flow or onboarding can be exchanged (10 minutes).</summary>
    public TimeSpan AuthCodeLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a login flow stays open without being finished (10 minutes).</summary>
    public TimeSpan LoginFlowLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A normal refresh token not used for this long stops working (HA: 90 days).</summary>
    public TimeSpan RefreshTokenUnusedLifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>
    /// At most one store write per token per this interval for "last used at / from" (SD-card wear).
    /// </summary>
    public TimeSpan LastUsedWriteInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>PBKDF2 iterations for new password hashes. Lower only in tests that do not measure cost.</summary>
    public int PasswordIterations { get; set; } = PasswordHasher.DefaultIterations;

    /// <summary>Upper bound of in-memory login flows, and of unexchanged auth codes, so a flood cannot grow memory.</summary>
    public int MaxPendingFlows { get; set; } = 1000;

    /// <summary>
    /// Open login flows per client address (per /64 for IPv6). Starting one more drops that client's oldest and counts
    /// like a failed login, so one address can neither fill <see cref="MaxPendingFlows"/> nor flood without a ban.
    /// </summary>
    public int MaxPendingFlowsPerClient { get; set; } = 16;

    /// <summary>
    /// Unexchanged auth codes per client address (per /64 for IPv6). A client exchanges its code at once; one over this
    /// budget loses its own oldest code, so one address cannot fill <see cref="MaxPendingFlows"/>.
    /// </summary>
    public int MaxPendingCodesPerClient { get; set; } = 16;

    /// <summary>
    /// Unexchanged auth codes per user, from all addresses together; a user over this budget loses their own oldest
    /// code, so one account logging in from many addresses cannot fill <see cref="MaxPendingFlows"/> either.
    /// </summary>
    public int MaxPendingCodesPerUser { get; set; } = 32;

    /// <summary>
    /// Long-lived access tokens per user. One more is refused with <c>too_many_tokens</c> (naming how to delete old
    /// ones): each grows the auth store, every commit's invariant check and every snapshot.
    /// </summary>
    public int MaxLongLivedTokensPerUser { get; set; } = 100;

    /// <summary>
    /// Normal refresh tokens (logged-in sessions) per user. A new login beyond it ends that user's least recently
    /// used session, in the same commit, so the newest login always works.
    /// </summary>
    public int MaxRefreshTokensPerUser { get; set; } = 50;
}
