using PiHub.Cli.Tests.Infrastructure;
using PiHub.Core.Power;
using PiHub.Testing;

namespace PiHub.Cli.Tests.Commands;

/// <summary>
/// <c>power simulate</c> and the power line of <c>status</c> on a hub whose config asks for simulated hardware
/// with a UPS HAT's power-fail pin on GPIO 6 (as dev mode does), with the service running and stopped.
/// </summary>
public sealed class PowerCommandTests(HubMode mode) : CliTestBase(mode)
{
    private const string BobPassword = "bob's long password 1";

    protected override string ExtraConfig => """
        power:
          simulate: true
          fail_pin: {pin: 6}
          voltage: {source: none}
          recovery_s: 0
        """;

    [Test]
    public async Task Status_PowerMonitoringConfigured_ShowsPowerState()
    {
        await EnterModeAsync();

        var run = await Hub.CliAsync("status");

        AssertOk(run);
        Assert.That(run.Out, Does.Contain(Mode == HubMode.Running
            ? "Power:        good; watching power-fail pin GPIO 6 (active high)"
            : "Power:        not watched while PiHub is stopped (configured: power-fail pin GPIO 6, simulated hardware)"));
    }

    [Test]
    public async Task PowerSimulate_FailThenRestore_ChangesPausedThenAcceptedOrServiceNotRunning()
    {
        await EnterModeAsync();

        var fail = await Hub.CliAsync("power", "simulate", "fail");

        if (Mode == HubMode.Stopped)
        {
            Assert.That(fail.ExitCode, Is.EqualTo(ExitCodes.Unavailable), fail.ToString);
            Assert.That(fail.Error, Does.Contain($"PiHub is not running (nothing answers on its admin socket {Hub.Socket})")
                .And.Contain("pihub-cli power simulate acts on the running service only").And.Contain("sudo systemctl start pihub"));
            return;
        }

        AssertOk(fail);
        Assert.That(fail.Out, Does.Contain("The simulated power-fail line (GPIO 6) is asserted: changes are paused and the stores flushed."));
        var refused = await Hub.CliWithInputAsync(BobPassword + "\n", "users", "add", "bob", "--password-stdin");
        Assert.That(refused.ExitCode, Is.EqualTo(ExitCodes.Unavailable), refused.ToString);
        Assert.That(refused.Error, Does.Contain("power is failing; changes are paused until power is back"));
        Assert.That((await Hub.CliAsync("status")).Out, Does.Contain("Power:        power failing since"));

        var restore = await Hub.CliAsync("power", "simulate", "restore");

        AssertOk(restore);
        Assert.That(restore.Out, Does.Contain("The simulated power-fail line (GPIO 6) is released: changes resume after 0 s of good power."));
        var power = Hub.Service<PowerManager>();
        await Wait.UntilAsync(() => !power.IsFailing, changed =>
        {
            void Handler(string? _) => changed();
            power.StatusChanged += Handler;
            return new Unsubscribe(() => power.StatusChanged -= Handler);
        }, "writes resume after the simulated power is restored");
        AssertOk(await Hub.CliWithInputAsync(BobPassword + "\n", "users", "add", "bob", "--password-stdin"));
        Assert.That((await Hub.CliAsync("users", "list")).Out, Does.Contain("bob"));
    }

    private sealed class Unsubscribe(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
