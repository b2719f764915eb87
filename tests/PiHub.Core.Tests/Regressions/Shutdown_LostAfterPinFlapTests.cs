using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PiHub.Core.Hub;
using PiHub.Core.Hub.Gpio;
using PiHub.Core.Power;
using PiHub.Testing;

namespace PiHub.Core.Tests.Regressions;

/// <summary>
/// With <c>power.shutdown_after_s</c> set, a power-fail pin that flapped once (released and asserted again within
/// <c>debounce_ms</c>) during an outage never requested the shutdown: the debounce and the shutdown deadline shared
/// one generation counter, so arming the debounce made the shutdown timer's callback look stale, and the timer was
/// never armed again while power stayed bad. The UPS ran flat with the hub still up.
/// </summary>
public class Shutdown_LostAfterPinFlapTests
{
    [Test]
    public async Task PinFlapsOnceDuringOutage_ShutdownStillRequested()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 20, 0, 0, TimeSpan.Zero));
        var hub = new HubCore(new HubInfo("Home", "UTC", "metric", "0"), new InMemoryHubStore(), [], time);
        var powerOff = new RecordingPowerOff();
        var options = new PowerOptions
        {
            FailPin = new PinInputOptions(6, ActiveLow: false, PinPull.None, TimeSpan.FromMilliseconds(50)),
            ShutdownAfter = TimeSpan.FromSeconds(30),
        };
        using var power = new PowerManager(options, new WriteGate(), [], hub, new BrownoutLog(new InMemoryHubStore(), TimeSpan.FromDays(90)),
            powerOff, time, NullLogger.Instance);

        power.ReportFailPin(true);
        time.Advance(TimeSpan.FromSeconds(1));
        power.ReportFailPin(false);
        time.Advance(TimeSpan.FromMilliseconds(20));
        power.ReportFailPin(true);
        time.Advance(TimeSpan.FromSeconds(30));
        await power.WhenSettledAsync();

        Assert.That(powerOff.Reasons, Has.Count.EqualTo(1), "power was bad for 31 s with power.shutdown_after_s: 30");
    }

    private sealed class RecordingPowerOff : IPowerOff
    {
        public List<string> Reasons { get; } = [];

        public Task<string> RequestAsync(string reason, CancellationToken cancellationToken = default)
        {
            lock (Reasons) Reasons.Add(reason);
            return Task.FromResult("a test");
        }
    }
}
