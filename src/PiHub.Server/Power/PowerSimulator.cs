using PiHub.Core.Power;
using PiHub.Hardware.Simulation;
using PiHub.Configuration;

namespace PiHub.Server.Power;

/// <summary>
/// Dev mode's simulated power-fail line and GPIO inputs, driven the same way whether the request came over
/// HTTP (<c>POST /api/pihub/power/simulate</c>) or the admin socket (<c>pihub-cli power simulate</c>). On real
/// hardware every method refuses with <see cref="DevModeOnlyCode"/> and changes nothing.
/// </summary>
internal sealed class PowerSimulator(PiHubOptions options, PowerManager power, SimulatedHardware? hardware)
{
    /// <summary>A simulation asked of a hub that runs on its real hardware.</summary>
    public const string DevModeOnlyCode = "dev_mode_only";

    /// <summary>A power failure asked of a simulated hub without <c>power.fail_pin</c>.</summary>
    public const string NoFailPinCode = "no_power_fail_pin";

    /// <summary>A GPIO line the simulated chip does not have.</summary>
    public const string NoSuchLineCode = Http.ApiErrorCodes.InvalidFormat;

    /// <summary>
    /// Asserts (<paramref name="failing"/>) or releases the simulated power-fail line and waits until the hub
    /// has acted on it: on a failure, until writes are refused, the stores flushed and the status line says so.
    /// </summary>
    public async Task<PowerSimulation> SetPowerAsync(bool failing, CancellationToken cancellationToken)
    {
        var sim = Require("Power failures");
        if (options.Power.FailPin is not { } pin)
        {
            throw new PowerSimulationException(NoFailPinCode,
                "This hub has no power-fail pin to simulate: set power.fail_pin (e.g. pin: 6) and start PiHub again.");
        }

        sim.Gpio.SetInput(pin.Pin, failing != pin.ActiveLow);
        await sim.Gpio.DrainAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        var flush = failing ? await power.LastFlush.WaitAsync(cancellationToken).ConfigureAwait(false) : (TimeSpan?)null;
        // The status line, events and entities follow the flush; a status asked for next must already show them.
        await power.WhenSettledAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        var message = failing
            ? $"The simulated power-fail line (GPIO {pin.Pin}) is asserted: changes are paused and the stores flushed."
            : $"The simulated power-fail line (GPIO {pin.Pin}) is released: changes resume after {options.Power.Recovery.TotalSeconds:0.#} s of good power.";
        return new PowerSimulation(failing ? "fail" : "restore", power.IsFailing, flush, message);
    }

    /// <summary>Drives a simulated GPIO input high or low and waits until its callbacks have run.</summary>
    public async Task<string> SetInputAsync(int pin, bool high, CancellationToken cancellationToken)
    {
        var sim = Require("GPIO inputs");
        if (pin is < 0 or >= SimulatedGpioDriver.Lines)
        {
            throw new PowerSimulationException(NoSuchLineCode, $"GPIO {pin} does not exist on the simulated chip (0 to {SimulatedGpioDriver.Lines - 1}).");
        }

        sim.Gpio.SetInput(pin, high);
        await sim.Gpio.DrainAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        return $"Simulated GPIO {pin} is now {(high ? "high" : "low")}.";
    }

    private SimulatedHardware Require(string what) =>
        options.Power.Simulate && hardware is not null
            ? hardware
            : throw new PowerSimulationException(DevModeOnlyCode,
                $"{what} can be simulated only in dev mode, where PiHub runs on simulated hardware (started without a config file, or with power.simulate: true). This hub uses its real hardware; nothing was changed.");
}

/// <summary>What a simulated power change did.</summary>
/// <param name="State"><c>fail</c> or <c>restore</c>.</param>
/// <param name="Failing">Whether the hub is in power-fail mode now (a restore keeps it until power.recovery_s has passed).</param>
/// <param name="Flush">On a failure, the edge-to-flushed time.</param>
/// <param name="Message">One sentence for people.</param>
internal sealed record PowerSimulation(string State, bool Failing, TimeSpan? Flush, string Message);

/// <summary>A simulation refused; <see cref="Code"/> is one of <see cref="PowerSimulator"/>'s codes.</summary>
internal sealed class PowerSimulationException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
