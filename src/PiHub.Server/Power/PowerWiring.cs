using System.Device.I2c;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using PiHub.Core.Hub;
using PiHub.Core.Hub.Gpio;
using PiHub.Core.Power;
using PiHub.Hardware.Gpio;
using PiHub.Hardware.Shutdown;
using PiHub.Hardware.Simulation;
using PiHub.Hardware.Voltage;
using PiHub.Core.Admin;
using PiHub.Configuration;
using PiHub.Server.Hosting;

namespace PiHub.Server.Power;

/// <summary>
/// The power monitor and the GPIO entities: the write gate the stores consult, the hardware (real,
/// or simulated in dev mode through the same code), the power manager and its polling service.
/// </summary>
internal static class PowerWiring
{
    /// <summary>The folder standing in for <c>/sys</c> in dev mode, inside the data folder.</summary>
    public const string SimulatedSysFolder = "simulated-sys";

    public static IServiceCollection AddPiHubPower(this IServiceCollection services, PiHubOptions options)
    {
        services.AddSingleton<WriteGate>();
        if (options.Power.Simulate)
        {
            services.AddSingleton(_ => new SimulatedHardware(Path.Combine(options.Storage.DataDir, SimulatedSysFolder)));
            services.AddSingleton<IPowerOff>(sp => new SimulatedPowerOff(Logger(sp)));
        }
        else
        {
            services.AddSingleton<IPowerOff>(sp => new LogindPowerOff(Logger(sp)));
        }

        services.AddSingleton(sp => new BrownoutLog(sp.GetRequiredService<IHubStore>(), options.Power.KeepBrownouts));
        services.AddSingleton(sp => new PowerManager(options.Power, sp.GetRequiredService<WriteGate>(),
            [.. sp.GetServices<StoreFlush>()], sp.GetRequiredService<HubCore>(), sp.GetRequiredService<BrownoutLog>(),
            sp.GetRequiredService<IPowerOff>(), sp.GetRequiredService<TimeProvider>(), Logger(sp)));
        services.AddSingleton<PowerHardware>();
        services.AddHostedService<PowerMonitorService>();
        services.AddSingleton(sp => new PowerSimulator(options, sp.GetRequiredService<PowerManager>(), sp.GetService<SimulatedHardware>()));
        services.AddSingleton<IPowerAdmin>(sp => new CliPowerControl(options, sp.GetRequiredService<PowerManager>(), sp.GetRequiredService<PowerSimulator>()));
        return services;
    }

    /// <summary>
    /// Opens the GPIO chip and the supply monitor, starts the power manager, creates the GPIO
    /// entities. Throws <see cref="ConfigException"/> for a pin the chip does not have.
    /// </summary>
    public static WebApplication UsePiHubPower(this WebApplication app, PiHubOptions options)
    {
        var sp = app.Services;
        var logger = Logger(sp);
        var hardware = sp.GetRequiredService<PowerHardware>();
        var sim = options.Power.Simulate ? sp.GetRequiredService<SimulatedHardware>() : null;
        var gpio = options.Gpio;
        var usesGpio = options.Power.FailPin is not null || gpio.Switches.Count > 0 || gpio.BinarySensors.Count > 0;
        string? absent = null;
        if (usesGpio)
        {
            hardware.Pins = sim is not null ? GpioOpener.Open(sim.Gpio, logger) : GpioOpener.TryOpen(gpio.ChipLabel, logger, out absent);
            if (hardware.Pins is { } pins) CheckPins(pins, options);
            else logger.LogWarning("{What}: {Reason}", Affected(options), absent);
        }

        var sysRoot = sim?.SysRoot ?? "/sys";
        hardware.Voltage = VoltageSources.Open(options.Power.Voltage, sysRoot,
            sim is not null ? sim.OpenI2c : I2cDevice.Create, logger, simulated: sim is not null);
        // One line on what binary_sensor.under_voltage can be here: on Debian's kernel nothing but an INA219 reports it.
        var underVoltage = UnderVoltageProbe.Describe(options.Power.Voltage, sysRoot, hardware.Voltage);
        logger.LogInformation("{UnderVoltage}", char.ToUpperInvariant(underVoltage.Text[0]) + underVoltage.Text[1..]);
        var power = sp.GetRequiredService<PowerManager>();
        power.Start(hardware.Pins, hardware.Voltage, underVoltage);
        var hub = sp.GetRequiredService<HubCore>();
        new GpioSwitchDomain(hub.States, hardware.Pins, absent, gpio.Switches).Setup(hub.Services);
        hardware.BinarySensors = new GpioBinarySensors(hub.States, sp.GetRequiredService<TimeProvider>());
        hardware.BinarySensors.Setup(hardware.Pins, gpio.BinarySensors);
        HardwareRegistryEntries.Register(hub, gpio);

        // systemd shows the change at once, not at the watchdog's next tick.
        if (sp.GetService<ISystemdNotifier>() is { IsEnabled: true } notifier)
        {
            var health = sp.GetRequiredService<HubHealth>();
            power.StatusChanged += status => notifier.Notify(new ServiceState("STATUS=" + (status ?? health.Status())));
        }

        return app;
    }

    private static void CheckPins(IGpioPins pins, PiHubOptions options)
    {
        var uses = new List<(int Pin, string Who)>();
        if (options.Power.FailPin is { } fail) uses.Add((fail.Pin, "power.fail_pin"));
        uses.AddRange(options.Gpio.Switches.Select((s, i) => (s.Pin, $"gpio.switches[{i}] ({s.Name})")));
        uses.AddRange(options.Gpio.BinarySensors.Select((b, i) => (b.Input.Pin, $"gpio.binary_sensors[{i}] ({b.Name})")));
        foreach (var (pin, who) in uses.Where(u => u.Pin >= pins.LineCount))
        {
            throw new ConfigException($"GPIO {pin} of {who} does not exist on {pins.Description} (lines 0 to {pins.LineCount - 1}) in {options.Source}. Use a BCM number of the 40-pin header (0 to 27) and start PiHub again.");
        }
    }

    /// <summary>One line's subject: what goes unwatched or unavailable without the chip.</summary>
    private static string Affected(PiHubOptions options)
    {
        var parts = new List<string>();
        if (options.Power.FailPin is { } fail) parts.Add($"no power monitoring from the power-fail pin (GPIO {fail.Pin})");
        var entities = options.Gpio.Switches.Select(s => $"switch.{s.Name}").Concat(options.Gpio.BinarySensors.Select(b => $"binary_sensor.{b.Name}")).ToList();
        if (entities.Count > 0) parts.Add($"{string.Join(", ", entities)} unavailable");
        var text = string.Join("; ", parts);
        return text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
    }

    private static ILogger Logger(IServiceProvider sp) => sp.GetRequiredService<ILoggerFactory>().CreateLogger("PiHub.Power");
}

/// <summary>The opened hardware, closed when the host stops.</summary>
internal sealed class PowerHardware : IDisposable
{
    public IGpioPins? Pins { get; set; }

    public IVoltageSource? Voltage { get; set; }

    public GpioBinarySensors? BinarySensors { get; set; }

    public void Dispose()
    {
        BinarySensors?.Dispose();
        (Voltage as IDisposable)?.Dispose();
        Pins?.Dispose();
    }
}

/// <summary>Runs <see cref="PowerManager.RunAsync"/> (supply polling, the daily count) for the host's lifetime.</summary>
internal sealed class PowerMonitorService(PowerManager power) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => power.RunAsync(stoppingToken);

    public override void Dispose()
    {
        power.Dispose();
        base.Dispose();
    }
}
