using Microsoft.Extensions.Time.Testing;
using PiHub.Core.Hub.Gpio;

namespace PiHub.Core.Tests.Hub.Gpio;

public class DebouncerTests
{
    [Test]
    public void Input_BouncesThenSettles_OneReport()
    {
        var time = new FakeTimeProvider();
        var reports = new List<bool>();
        using var debouncer = new Debouncer(TimeSpan.FromMilliseconds(50), time, initial: false, reports.Add);

        for (var i = 0; i < 9; i++)
        {
            debouncer.Input(i % 2 == 0);
            time.Advance(TimeSpan.FromMilliseconds(3));
        }

        time.Advance(TimeSpan.FromMilliseconds(50));

        Assert.That(reports, Is.EqualTo(new[] { true }));
    }

    [Test]
    public void Input_GlitchBackToStart_NoReport()
    {
        var time = new FakeTimeProvider();
        var reports = new List<bool>();
        using var debouncer = new Debouncer(TimeSpan.FromMilliseconds(50), time, initial: false, reports.Add);

        debouncer.Input(true);
        time.Advance(TimeSpan.FromMilliseconds(10));
        debouncer.Input(false);
        time.Advance(TimeSpan.FromMilliseconds(100));

        Assert.That(reports, Is.Empty);
    }

    [Test]
    public void Input_ZeroWindow_ReportsEachChangeAtOnce()
    {
        var reports = new List<bool>();
        using var debouncer = new Debouncer(TimeSpan.Zero, new FakeTimeProvider(), initial: false, reports.Add);

        debouncer.Input(true);
        debouncer.Input(true);
        debouncer.Input(false);

        Assert.That(reports, Is.EqualTo(new[] { true, false }));
    }
}
