using System.Net;

namespace PiHub.Core.Auth.Bans;

/// <summary>How failed logins turn into bans.</summary>
public sealed record BanOptions
{
    public bool Enabled { get; init; } = true;

    /// <summary>Failures within <see cref="Window"/> that ban an address.</summary>
    public int Threshold { get; init; } = 5;

    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The first ban's length; each repeat doubles it up to <see cref="MaxDuration"/>.</summary>
    public TimeSpan BaseDuration { get; init; } = TimeSpan.FromMinutes(15);

    public TimeSpan MaxDuration { get; init; } = TimeSpan.FromHours(24);

    /// <summary>A repeat counts as one only if the previous ban ended less than this ago.</summary>
    public TimeSpan RepeatMemory { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Never banned: loopback by default, plus trusted proxies (added by the server).</summary>
    public IReadOnlyList<IPNetwork> Allowlist { get; init; } = [IPNetwork.Parse("127.0.0.1/32"), IPNetwork.Parse("::1/128")];
}
