using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PiHub.Core.Power;
using PiHub.Hardware.Simulation;
using PiHub.Server.Tests.Infrastructure;

namespace PiHub.Server.Tests.Power;

/// <summary>
/// A real hub in dev mode (simulated GPIO chip, INA219 and /sys) on a fake clock, with the steps a
/// power failure takes: assert the simulated power-fail line (GPIO 6), release it, let time pass.
/// </summary>
internal sealed class PowerHub : IAsyncDisposable
{
    public const int FailPin = 6;

    private PowerHub(TestHub hub, FakeTimeProvider time, CapturedLogs logs)
    {
        Hub = hub;
        Time = time;
        Logs = logs;
    }

    public TestHub Hub { get; }

    public FakeTimeProvider Time { get; }

    public CapturedLogs Logs { get; }

    public SimulatedHardware Sim => Hub.Service<SimulatedHardware>();

    public PowerManager Power => Hub.Service<PowerManager>();

    public static async Task<PowerHub> StartAsync(Dictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null, string? dataDir = null)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero));
        var logs = new CapturedLogs();
        var all = new Dictionary<string, string?> { ["power:voltage:source"] = "none", ["power:recovery_s"] = "10" };
        foreach (var (k, v) in settings ?? []) all[k] = v;
        var hub = await TestHub.StartAsync(all, dataDir, time, services: s =>
        {
            logs.AddTo(s);
            services?.Invoke(s);
        });
        return new PowerHub(hub, time, logs);
    }

    /// <summary>Asserts the power-fail line and waits until the stores are flushed and the follow-ups ran.</summary>
    public async Task FailAsync()
    {
        Sim.Gpio.SetInput(FailPin, true);
        await Sim.Gpio.DrainAsync();
        await Power.LastFlush;
        await Power.WhenSettledAsync();
    }

    /// <summary>Releases the line and lets the debounce pass (writes resume only after <see cref="RecoverAsync"/>).</summary>
    public async Task ReleaseAsync()
    {
        Sim.Gpio.SetInput(FailPin, false);
        await Sim.Gpio.DrainAsync();
        Time.Advance(TimeSpan.FromMilliseconds(10));
        await Power.WhenSettledAsync();
    }

    /// <summary>Lets power.recovery_s of good power pass and waits for the brownout to be recorded.</summary>
    public async Task RecoverAsync()
    {
        Time.Advance(TimeSpan.FromSeconds(10));
        await Power.LastRecovery;
        await Power.WhenSettledAsync();
    }

    /// <summary>Waits for something the hub does off the test's thread (a poll after the clock moved).</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Still waiting for: {what}");
            await Task.Delay(5);
        }
    }

    public ValueTask DisposeAsync() => Hub.DisposeAsync();
}
