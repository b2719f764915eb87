namespace PiHub.Core.Power;

/// <summary>What <see cref="BrownoutTracker"/> decided; one subtype per transition.</summary>
public abstract record BrownoutTransition
{
    private BrownoutTransition()
    {
    }

    /// <summary>Power went bad with no brownout in progress: pause writes and flush now.</summary>
    /// <param name="Start">When the brownout started.</param>
    /// <param name="Cause">What signalled it.</param>
    /// <param name="Volts">The last supply voltage read, when one is measured.</param>
    /// <param name="SignalAt">The <see cref="System.Diagnostics.Stopwatch"/> timestamp of the signal, for the edge-to-flushed time.</param>
    public sealed record Started(DateTimeOffset Start, string Cause, double? Volts, long SignalAt) : BrownoutTransition;

    /// <summary>A bad signal during a brownout; <paramref name="RecoveryCancelled"/> when power had looked good again.</summary>
    public sealed record StillFailing(DateTimeOffset Start, string Cause, bool RecoveryCancelled) : BrownoutTransition;

    /// <summary>Power looks good: the brownout ends after <paramref name="After"/> more of it.</summary>
    public sealed record Recovering(DateTimeOffset Start, TimeSpan After) : BrownoutTransition;

    /// <summary>Power has been good for the recovery time: resume writes and record the brownout.</summary>
    public sealed record Ended(DateTimeOffset Start, DateTimeOffset End, string Cause, double? LowestVolts, bool ShutdownRequested) : BrownoutTransition;

    /// <summary>Power has been bad for <paramref name="After"/>: ask the system to shut down (once per bad spell).</summary>
    public sealed record ShutdownDue(DateTimeOffset Start, TimeSpan After) : BrownoutTransition;
}
