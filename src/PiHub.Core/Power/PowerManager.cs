using System.Diagnostics;
using Microsoft.Extensions.Logging;
using PiHub.Core.Hub;
using PiHub.Core.Hub.Gpio;

namespace PiHub.Core.Power;

/// <summary>
/// Power-fail mode. A power-fail edge or a low reading closes the <see cref="WriteGate"/> at once,
/// on the signalling thread, and queues a checkpoint on every store: commits already running
/// finish, nothing else is written, and the stores are flushed. Entities, the event, the log and
/// systemd's status follow. Power good for <c>power.recovery_s</c> reopens the gate and records the
/// brownout; power bad for <c>power.shutdown_after_s</c> requests a clean shutdown through
/// <see cref="IPowerOff"/>. The fail edge is acted on without waiting (waiting would spend the
/// hold-up time); <c>debounce_ms</c> filters the way back, so a flapping pin is one brownout.
/// </summary>
/// <remarks>
/// Coordination only: <see cref="PowerSignals"/> owns the pin and the supply monitor,
/// <see cref="BrownoutTracker"/> decides (signals, brownout, timers), <see cref="PowerEffects"/> runs what
/// follows (entities, events, records, status). This class turns the tracker's transitions into the gate,
/// the flushes and queued effects.
/// </remarks>
public sealed class PowerManager : IDisposable
{
    public const string FailingEvent = "pihub_power_failing";
    public const string RestoredEvent = "pihub_power_restored";

    /// <summary><see cref="Monitoring"/> while nothing is watched.</summary>
    public const string NoMonitoring = "no power monitoring";

    private readonly PowerOptions _options;
    private readonly WriteGate _gate;
    private readonly IReadOnlyList<StoreFlush> _flushes;
    private readonly HubCore _hub;
    private readonly BrownoutLog _log;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly PowerSignals _signals;
    private readonly BrownoutTracker _tracker;
    private readonly PowerEffects _effects;

    public PowerManager(PowerOptions options, WriteGate gate, IReadOnlyList<StoreFlush> flushes, HubCore hub,
        BrownoutLog log, IPowerOff powerOff, TimeProvider time, ILogger logger)
    {
        _options = options;
        _gate = gate;
        _flushes = flushes;
        _hub = hub;
        _log = log;
        _time = time;
        _logger = logger;
        _signals = new PowerSignals(logger);
        _effects = new PowerEffects(hub, log, powerOff, time, logger, PublishPowerFail);
        _tracker = new BrownoutTracker(options.FailPin?.Debounce ?? TimeSpan.Zero, options.Recovery, options.ShutdownAfter, time, OnTransition);
    }

    /// <summary>Raised (off the signalling thread) when the one-line power status changes; null means "power good".</summary>
    public event Action<string?>? StatusChanged
    {
        add => _effects.StatusChanged += value;
        remove => _effects.StatusChanged -= value;
    }

    /// <summary>"power failing since …" while in power-fail mode, else null.</summary>
    public string? StatusText => _effects.StatusText;

    /// <summary>True from the fail edge until writes resume.</summary>
    public bool IsFailing => _tracker.IsFailing;

    /// <summary>What PiHub watches, for logs and the status endpoint, e.g. "power-fail pin GPIO 6; hwmon rpi_volt".</summary>
    public string Monitoring { get; private set; } = NoMonitoring;

    /// <summary>True once <see cref="Start"/> found something to watch (a power-fail pin, a supply monitor).</summary>
    public bool IsMonitoring => !ReferenceEquals(Monitoring, NoMonitoring);

    /// <summary>The latest brownout's "edge to every store flushed" time; completes when they are flushed.</summary>
    public Task<TimeSpan> LastFlush { get; private set; } = Task.FromResult(TimeSpan.Zero);

    /// <summary>Completes when the latest recovery (record, notification, event) is done.</summary>
    public Task LastRecovery { get; private set; } = Task.CompletedTask;

    /// <summary>Completes once every follow-up step queued so far (entities, events, records) has run.</summary>
    public Task WhenSettledAsync() => _effects.WhenSettledAsync();

    /// <summary>The <c>power.voltage.source</c> configured (<c>auto</c>, <c>none</c>, …), lower case as written in the config.</summary>
    public string ConfiguredVoltageSource => _options.Voltage.Source.ToString().ToLowerInvariant();

    /// <summary>The supply monitor in use ("INA219 on i2c-1 at 0x40", "hwmon rpi_volt"), or null when none was found or configured.</summary>
    public string? VoltageSourceName => _signals.Voltage?.Name;

    /// <summary>True when the supply monitor in use gives volts (then <c>sensor.supply_voltage</c> exists).</summary>
    public bool MeasuresVolts => _signals.Voltage?.MeasuresVolts == true;

    /// <summary>Whether <c>binary_sensor.under_voltage</c> can be reported here and why not; null before <see cref="Start"/>.</summary>
    public UnderVoltageStatus? UnderVoltage { get; private set; }

    /// <summary>Every brownout still kept (at least 90 days), oldest first.</summary>
    public IReadOnlyList<Brownout> Brownouts => _log.All();

    /// <summary>
    /// Starts watching: the fail pin on <paramref name="pins"/> (when configured and present) and
    /// <paramref name="voltage"/> (polled by <see cref="RunAsync"/>). Creates the entities of what exists.
    /// <paramref name="underVoltage"/> is what the status says about under-voltage.
    /// </summary>
    public void Start(IGpioPins? pins, IVoltageSource? voltage, UnderVoltageStatus? underVoltage = null)
    {
        UnderVoltage = underVoltage;
        var watched = _signals.Start(_options.FailPin, pins, voltage, ReportFailPin);
        PublishPowerFail();
        if (_options.FailPin is { } failPin && pins is not null && pins.Read(failPin.Pin) != failPin.ActiveLow) ReportFailPin(true);
        PollVoltage();

        if (watched.Count > 0)
        {
            Monitoring = string.Join("; ", watched);
            _effects.Entities.SetBrownoutsToday(_log.CountSince(StartOfToday()), _log.All().LastOrDefault());
            _logger.LogInformation("Power monitoring: {Sources}", Monitoring);
        }
    }

    /// <summary>Polls the voltage source, keeps <c>sensor.brownouts_today</c> right across midnight, prunes old records.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        try
        {
            await _log.PruneAsync(_time.GetUtcNow(), stoppingToken).ConfigureAwait(false);
        }
        catch (HubException ex)
        {
            _logger.LogWarning("Old brownout records were not pruned: {Error}", ex.Message);
        }

        if (_signals.Voltage is null && !_signals.HasPin) return;
        using var timer = new PeriodicTimer(_options.Voltage.PollInterval, _time);
        var today = StartOfToday();
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                PollVoltage();
                if (StartOfToday() != today)
                {
                    today = StartOfToday();
                    _effects.Entities.SetBrownoutsToday(_log.CountSince(today), _log.All().LastOrDefault());
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <summary>The fail pin's (already polarity-corrected) level: true = power failing. Called from the driver's thread.</summary>
    public void ReportFailPin(bool failing) => _tracker.ReportPin(failing, _signals.PinSource, Stopwatch.GetTimestamp());

    /// <summary>A reading from the voltage source (also the path tests and the simulator use).</summary>
    public void ReportVoltage(VoltageReading reading)
    {
        var at = Stopwatch.GetTimestamp();
        var source = _signals.VoltageSourceName;
        var cause = reading.Volts is { } volts
            ? $"a low supply voltage ({volts:0.00} V below {_options.Voltage.LowVolts:0.00} V, {source})"
            : $"under-voltage reported by {source}";
        _tracker.ReportVoltage(reading.UnderVoltage, reading.Volts, cause, at);
        var monitor = _signals.Voltage;
        _effects.Enqueue(() =>
        {
            _effects.Entities.SetUnderVoltage(reading.UnderVoltage, source, reading.OccurredSinceBoot);
            if (monitor?.MeasuresVolts == true) _effects.Entities.SetVoltage(reading.Volts, source);
            if (monitor?.MeasuresAmps == true) _effects.Entities.SetCurrent(reading.Amps, source);
            PublishPowerFail();
            return Task.CompletedTask;
        });
    }

    public void Dispose() => _tracker.Dispose();

    /// <summary>Acts on one decision of the tracker; runs under its lock, so nothing here waits.</summary>
    private void OnTransition(BrownoutTransition transition)
    {
        switch (transition)
        {
            case BrownoutTransition.Started started:
                // First the gate, then the flushes: each store's checkpoint queues behind the commit it is
                // running, and every commit after it is refused.
                _gate.Pause();
                var flushes = _flushes.Select(FlushOneAsync).ToArray();
                var flushed = Task.WhenAll(flushes).ContinueWith(_ => Stopwatch.GetElapsedTime(started.SignalAt),
                    CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                LastFlush = flushed;
                _effects.Enqueue(() => _effects.FailingAsync(started, flushed, _flushes.Select(f => f.Name)));
                break;
            case BrownoutTransition.StillFailing still:
                if (still.RecoveryCancelled) _logger.LogWarning("Power is bad again ({Cause}) before writes resumed; the brownout goes on", still.Cause);
                _effects.EnqueueStatus(_effects.FailingStatus(still.Start, still.Cause));
                break;
            case BrownoutTransition.Recovering recovering:
                _effects.EnqueueStatus($"power back; changes resume after {recovering.After.TotalSeconds:0.#} s of good power");
                break;
            case BrownoutTransition.Ended ended:
                var brownout = new Brownout(ended.Start, ended.End, ended.Cause, ended.LowestVolts, _gate.Resume(), ended.ShutdownRequested);
                _logger.LogInformation("Power has been good for {Seconds:0.#} s: changes resume. Brownout of {Duration:0.0} s recorded ({Refused} changes refused)",
                    _options.Recovery.TotalSeconds, brownout.Duration.TotalSeconds, brownout.Refused.Total);
                LastRecovery = _effects.Enqueue(() => _effects.RecoveredAsync(brownout, StartOfToday()));
                break;
            case BrownoutTransition.ShutdownDue due:
                var reason = $"power has been bad for {due.After.TotalSeconds:0} s (power.shutdown_after_s)";
                _effects.Enqueue(async () =>
                {
                    await Task.WhenAll(_flushes.Select(FlushOneAsync)).ConfigureAwait(false);
                    await _effects.ShutdownAsync(reason).ConfigureAwait(false);
                });
                break;
        }
    }

    private async Task FlushOneAsync(StoreFlush flush)
    {
        try
        {
            await flush.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Every commit it acknowledged is durable in its log already; the others still flush.
            _logger.LogError("The {Store} store could not be flushed on power failure: {Error}", flush.Name, ex.Message);
        }
    }

    private void PollVoltage()
    {
        if (_signals.TryRead(out var reading, out var source))
        {
            ReportVoltage(reading);
            return;
        }

        if (source is null) return;
        _effects.Enqueue(() =>
        {
            _effects.Entities.SetUnderVoltage(null, source.Name, null);
            if (source.MeasuresVolts) _effects.Entities.SetVoltage(null, source.Name);
            if (source.MeasuresAmps) _effects.Entities.SetCurrent(null, source.Name);
            return Task.CompletedTask;
        });
    }

    /// <summary><c>binary_sensor.power_fail</c>: on while the pin or a low reading says power is failing.</summary>
    private void PublishPowerFail()
    {
        if (_signals.PowerFailSource is { } source) _effects.Entities.SetPowerFail(_tracker.SignalBad, _gate.IsPaused, source);
    }

    private DateTimeOffset StartOfToday()
    {
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(_hub.Info.TimeZone, out var z) ? z : TimeZoneInfo.Utc;
        var local = TimeZoneInfo.ConvertTime(_time.GetUtcNow(), zone);
        return new DateTimeOffset(local.Date, local.Offset);
    }
}
