namespace PiHub.Core.Power;

/// <summary>One recorded brownout: when power failed and came back, how low it went, and what was refused.</summary>
/// <param name="Start">The power-fail edge (or first low reading).</param>
/// <param name="End">When power had been good for <c>power.recovery_s</c> and writes resumed.</param>
/// <param name="Cause">What signalled it, e.g. "the power-fail pin (GPIO 6)".</param>
/// <param name="LowestVolts">The lowest supply voltage read during it; null when no source gives volts.</param>
/// <param name="Refused">The changes refused while writes were paused.</param>
/// <param name="ShutdownRequested">True when power stayed bad long enough to request a shutdown.</param>
public sealed record Brownout(
    DateTimeOffset Start,
    DateTimeOffset End,
    string Cause,
    double? LowestVolts,
    RefusedChanges Refused,
    bool ShutdownRequested)
{
    /// <summary>How long writes were paused.</summary>
    public TimeSpan Duration => End - Start;
}
