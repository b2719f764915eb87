using Microsoft.Extensions.Time.Testing;
using PiHub.Core.Power;
using T = PiHub.Core.Power.BrownoutTransition;

namespace PiHub.Core.Tests.Power;

// Each test gets its own fake clock and list of transitions.
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public class BrownoutTrackerTests
{
    private const string Pin = "the power-fail pin (GPIO 6)";
    private const string Low = "a low supply voltage";
    private static readonly TimeSpan s_debounce = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan s_recovery = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 20, 0, 0, TimeSpan.Zero));
    private readonly List<BrownoutTransition> _seen = [];

    private BrownoutTracker Tracker(TimeSpan? shutdownAfter = null, TimeSpan? debounce = null) =>
        new(debounce ?? s_debounce, s_recovery, shutdownAfter, _time, _seen.Add);

    [Test]
    public void ReportPin_FailEdge_StartsAtOnceWithoutWaitingForDebounce()
    {
        using var tracker = Tracker();

        tracker.ReportPin(true, Pin, 42);

        var started = _seen.OfType<T.Started>().Single();
        Assert.That(started, Is.EqualTo(new T.Started(_time.GetUtcNow(), Pin, null, 42)));
        Assert.That(tracker.IsFailing, Is.True);
        Assert.That(tracker.SignalBad, Is.True);
    }

    [Test]
    public void ReportPin_GoodForRecoveryTime_EndsWithStartAndEnd()
    {
        using var tracker = Tracker();
        var start = _time.GetUtcNow();
        tracker.ReportPin(true, Pin, 0);
        _time.Advance(TimeSpan.FromSeconds(3));

        tracker.ReportPin(false, Pin, 0);
        _time.Advance(s_debounce);
        var recovering = _seen.OfType<T.Recovering>().Single();
        _time.Advance(s_recovery - TimeSpan.FromMilliseconds(1));
        var endedEarly = _seen.OfType<T.Ended>().Any();
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.That(recovering.After, Is.EqualTo(s_recovery));
        Assert.That(endedEarly, Is.False, "ended before power.recovery_s of good power");
        var ended = _seen.OfType<T.Ended>().Single();
        Assert.That(ended.Start, Is.EqualTo(start));
        Assert.That(ended.End - ended.Start, Is.EqualTo(TimeSpan.FromSeconds(3) + s_debounce + s_recovery));
        Assert.That(ended.ShutdownRequested, Is.False);
        Assert.That(tracker.IsFailing, Is.False);
    }

    [Test]
    public void ReportPin_FlapsWithinDebounce_OneBrownoutNoRecovery()
    {
        using var tracker = Tracker();
        tracker.ReportPin(true, Pin, 0);

        for (var i = 0; i < 5; i++)
        {
            tracker.ReportPin(false, Pin, 0);
            _time.Advance(s_debounce / 2);
            tracker.ReportPin(true, Pin, 0);
        }

        _time.Advance(s_recovery * 2);
        Assert.That(_seen, Has.Count.EqualTo(1), string.Join(", ", _seen));
        Assert.That(_seen[0], Is.TypeOf<T.Started>());
        Assert.That(tracker.SignalBad, Is.True);
    }

    [Test]
    public void ReportPin_BadAgainDuringRecovery_SameBrownoutGoesOn()
    {
        using var tracker = Tracker(debounce: TimeSpan.Zero);
        tracker.ReportPin(true, Pin, 0);
        tracker.ReportPin(false, Pin, 0);
        _time.Advance(TimeSpan.FromSeconds(5));

        tracker.ReportPin(true, Pin, 0);
        _time.Advance(s_recovery * 2);

        var still = _seen.OfType<T.StillFailing>().Single();
        Assert.That(still.RecoveryCancelled, Is.True);
        Assert.That(_seen.OfType<T.Started>().Count(), Is.EqualTo(1));
        Assert.That(_seen.OfType<T.Ended>(), Is.Empty, "the recovery timer armed before was cancelled");
        Assert.That(tracker.IsFailing, Is.True);
    }

    [Test]
    public void ReportVoltage_LowThenGood_LowestVoltsOfTheBrownout()
    {
        using var tracker = Tracker();
        tracker.ReportVoltage(false, 5.05, Low, 0);

        tracker.ReportVoltage(true, 4.70, Low, 0);
        tracker.ReportVoltage(true, 4.52, Low, 0);
        tracker.ReportVoltage(true, 4.61, Low, 0);
        tracker.ReportVoltage(false, 5.10, Low, 0);
        _time.Advance(s_recovery);

        Assert.That(_seen.OfType<T.Started>().Single().Volts, Is.EqualTo(4.70), "the reading that started it");
        Assert.That(_seen.OfType<T.Ended>().Single().LowestVolts, Is.EqualTo(4.52));
    }

    [Test]
    public void ReportVoltage_SameVerdictAgain_NoTransition()
    {
        using var tracker = Tracker();

        tracker.ReportVoltage(false, 5.0, Low, 0);
        tracker.ReportVoltage(false, 5.1, Low, 0);

        Assert.That(_seen, Is.Empty);
    }

    [Test]
    public void PinGood_WhileVoltageLow_StaysFailing()
    {
        using var tracker = Tracker(debounce: TimeSpan.Zero);
        tracker.ReportPin(true, Pin, 0);
        tracker.ReportVoltage(true, 4.5, Low, 0);

        tracker.ReportPin(false, Pin, 0);
        _time.Advance(s_recovery * 2);

        Assert.That(_seen.OfType<T.Recovering>(), Is.Empty);
        Assert.That(tracker.SignalBad, Is.True);
        Assert.That(tracker.IsFailing, Is.True);
    }

    [Test]
    public void BadForShutdownTime_ShutdownDueOnce()
    {
        using var tracker = Tracker(shutdownAfter: TimeSpan.FromSeconds(30));
        tracker.ReportPin(true, Pin, 0);

        _time.Advance(TimeSpan.FromSeconds(29));
        var early = _seen.OfType<T.ShutdownDue>().Any();
        _time.Advance(TimeSpan.FromSeconds(120));

        Assert.That(early, Is.False);
        Assert.That(_seen.OfType<T.ShutdownDue>().Single().After, Is.EqualTo(TimeSpan.FromSeconds(30)));
    }

    [Test]
    public void ShutdownRequested_ThenRecovered_RecordSaysSo()
    {
        using var tracker = Tracker(shutdownAfter: TimeSpan.FromSeconds(30), debounce: TimeSpan.Zero);
        tracker.ReportPin(true, Pin, 0);
        _time.Advance(TimeSpan.FromSeconds(30));

        tracker.ReportPin(false, Pin, 0);
        _time.Advance(s_recovery);

        Assert.That(_seen.OfType<T.Ended>().Single().ShutdownRequested, Is.True);
    }

    [Test]
    public void GoodBeforeShutdownTime_NoShutdown()
    {
        using var tracker = Tracker(shutdownAfter: TimeSpan.FromSeconds(30), debounce: TimeSpan.Zero);
        tracker.ReportPin(true, Pin, 0);
        _time.Advance(TimeSpan.FromSeconds(20));

        tracker.ReportPin(false, Pin, 0);
        _time.Advance(TimeSpan.FromSeconds(60));

        Assert.That(_seen.OfType<T.ShutdownDue>(), Is.Empty);
    }

    [Test]
    public void FlapDuringDebounce_ShutdownStillDue()
    {
        // A restore edge arms the debounce; a fail edge within it cancels it. The shutdown deadline armed by
        // the first edge is a timer of its own and must still fire.
        using var tracker = Tracker(shutdownAfter: TimeSpan.FromSeconds(30));
        tracker.ReportPin(true, Pin, 0);
        _time.Advance(TimeSpan.FromSeconds(1));

        tracker.ReportPin(false, Pin, 0);
        _time.Advance(s_debounce / 2);
        tracker.ReportPin(true, Pin, 0);
        _time.Advance(TimeSpan.FromSeconds(30));

        Assert.That(_seen.OfType<T.ShutdownDue>().Count(), Is.EqualTo(1));
    }

    [Test]
    public void Dispose_PendingRecovery_NeverEnds()
    {
        var tracker = Tracker(debounce: TimeSpan.Zero);
        tracker.ReportPin(true, Pin, 0);
        tracker.ReportPin(false, Pin, 0);

        tracker.Dispose();
        _time.Advance(s_recovery * 2);
        tracker.ReportPin(true, Pin, 0);

        Assert.That(_seen.OfType<T.Ended>(), Is.Empty);
        Assert.That(_seen.OfType<T.StillFailing>(), Is.Empty);
    }
}
