namespace PiHub.Core.Auth.Validation;

/// <summary>
/// How much of a client's page the hub reads when looking for declared redirect URIs, as Home Assistant does: an
/// unauthenticated caller chooses the address, so the read is small, short and remembered for a while.
/// </summary>
public static class ClientPageLimits
{
    /// <summary>Only the first 10 KB are read (Home Assistant reads ten 1 KB chunks); a tag after that is not seen.</summary>
    public const int MaxBytes = 10 * 1024;

    /// <summary>The whole read (connect, redirects, headers, body) must finish within 5 s, Home Assistant's timeout.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>At most 3 redirects are followed.</summary>
    public const int MaxRedirects = 3;

    /// <summary>A page's answer (or failure) is remembered for a minute, so logins do not fetch it every time.</summary>
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromMinutes(1);
}
