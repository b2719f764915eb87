namespace PiHub.Core.Auth.Mfa;

/// <summary>
/// Whether the system clock has been set from network time. A Raspberry Pi has no clock of its own: until NTP
/// answers it runs from a saved time, so time-based codes can be refused although the phone shows the right one.
/// </summary>
public interface IClockStatus
{
    /// <summary>False while the clock is known not to be synchronised yet; true once it is, or when no one can tell.</summary>
    bool IsSynchronized { get; }
}

/// <summary>
/// systemd-timesyncd's word: it keeps <c>/run/systemd/timesync/</c> while it runs and creates <c>synchronized</c>
/// there once the clock is set from a time server. Without that folder (another NTP client, a container) nothing
/// is known, which counts as synchronised, so no message blames a clock that may be right.
/// </summary>
public sealed class TimesyncClockStatus(string runDirectory = TimesyncClockStatus.RunDirectory) : IClockStatus
{
    /// <summary>timesyncd's runtime folder.</summary>
    public const string RunDirectory = "/run/systemd/timesync";

    /// <summary>The machine's own timesyncd.</summary>
    public static TimesyncClockStatus System { get; } = new();

    /// <inheritdoc/>
    public bool IsSynchronized => !Directory.Exists(runDirectory) || File.Exists(Path.Combine(runDirectory, "synchronized"));
}
