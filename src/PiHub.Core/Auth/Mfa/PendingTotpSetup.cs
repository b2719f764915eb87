namespace PiHub.Core.Auth.Mfa;

/// <summary>A set-up waiting for its first code, kept in memory only (nothing is written until it is proven).</summary>
internal sealed class PendingTotpSetup
{
    public PendingTotpSetup(string userId, TotpSetup setup)
    {
        UserId = userId;
        Setup = setup;
    }

    public string UserId { get; }

    public TotpSetup Setup { get; }

    /// <summary>Wrong codes so far; the set-up is dropped at <see cref="MfaModule.MaxTries"/>.</summary>
    public int Failures { get; set; }
}
