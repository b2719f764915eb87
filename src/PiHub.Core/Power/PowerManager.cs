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
public sealed partial class PowerManager : IDisposable
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
    private readonly IPowerOff _powerOff;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly PowerEntities _entities;
    private readonly object _lock = new();
    private IVoltageSource? _voltage;
    private string _pinSource = "none";
    private bool _hasPin;
    private bool _pinFailing;
    private bool _voltageLow;
    private double? _lastVolts;
    private ITimer? _pinRestoreTimer;
    private ITimer? _recoveryTimer;
    private ITimer? _shutdownTimer;
    private long _generation;
    private Pending? _current;
    private Task _effects = Task.CompletedTask;
    private string? _statusText;
    private bool _voltageBroken;

    public PowerManager(PowerOptions options, WriteGate gate, IReadOnlyList<StoreFlush> flushes, HubCore hub,
        BrownoutLog log, IPowerOff powerOff, TimeProvider time, ILogger logger)
    {
        _options = options;
        _gate = gate;
        _flushes = flushes;
        _hub = hub;
        _log = log;
        _powerOff = powerOff;
        _time = time;
        _logger = logger;
        _entities = new PowerEntities(hub.States);
    }

    /// <summary>Raised (off the signalling thread) when the one-line power status changes; null means "power good".</summary>
    public event Action<string?>? StatusChanged;

    /// <summary>"power failing since …" while in power-fail mode, else null.</summary>
    public string? StatusText => Volatile.Read(ref _statusText);

    /// <summary>True from the fail edge until writes resume.</summary>
    public bool IsFailing
    {
        get
        {
            lock (_lock) return _current is not null;
        }
    }

    /// <summary>What PiHub watches, for logs and the status endpoint, e.g. "power-fail pin GPIO 6; hwmon rpi_volt".</summary>
    public string Monitoring { get; private set; } = NoMonitoring;

    /// <summary>True once <see cref="Start"/> found something to watch (a power-fail pin, a supply monitor).</summary>
    public bool IsMonitoring => !ReferenceEquals(Monitoring, NoMonitoring);

    /// <summary>The latest brownout's "edge to every store flushed" time; completes when they are flushed.</summary>
    public Task<TimeSpan> LastFlush { get; private set; } = Task.FromResult(TimeSpan.Zero);

    /// <summary>Completes when the latest recovery (record, notification, event) is done.</summary>
    public Task LastRecovery { get; private set; } = Task.CompletedTask;

    /// <summary>Completes once every follow-up step queued so far (entities, events, records) has run.</summary>
    public Task WhenSettledAsync()
    {
        lock (_lock) return _effects;
    }

    /// <summary>The <c>power.voltage.source</c> configured (<c>auto</c>, <c>none</c>, …), lower case as written in the config.</summary>
    public string ConfiguredVoltageSource => _options.Voltage.Source.ToString().ToLowerInvariant();

    /// <summary>The supply monitor in use ("INA219 on i2c-1 at 0x40", "hwmon rpi_volt"), or null when none was found or configured.</summary>
    public string? VoltageSourceName => Volatile.Read(ref _voltage)?.Name;

    /// <summary>True when the supply monitor in use gives volts (then <c>sensor.supply_voltage</c> exists).</summary>
    public bool MeasuresVolts => Volatile.Read(ref _voltage)?.MeasuresVolts == true;

    /// <summary>Every brownout still kept (at least 90 days), oldest first.</summary>
    public IReadOnlyList<Brownout> Brownouts => _log.All();

    /// <summary>
    /// Starts watching: the fail pin on <paramref name="pins"/> (when configured and present) and
    /// <paramref name="voltage"/> (polled by <see cref="RunAsync"/>). Creates the entities of what exists.
    /// </summary>
    public void Start(IGpioPins? pins, IVoltageSource? voltage)
    {
        var watched = new List<string>();
        if (_options.FailPin is { } pin && pins is not null)
        {
            _pinSource = $"the power-fail pin (GPIO {pin.Pin})";
            pins.OpenInput(pin.Pin, pin.Pull, level => ReportFailPin(level != pin.ActiveLow));
            _hasPin = true;
            watched.Add($"power-fail pin GPIO {pin.Pin} ({(pin.ActiveLow ? "active low" : "active high")}) on {pins.Description}");
        }

        _voltage = voltage;
        if (voltage is not null) watched.Add(voltage.Name);
        PublishPowerFail();
        if (_options.FailPin is { } failPin && pins is not null && pins.Read(failPin.Pin) != failPin.ActiveLow) ReportFailPin(true);
        PollVoltage();

        if (watched.Count > 0)
        {
            Monitoring = string.Join("; ", watched);
            _entities.SetBrownoutsToday(_log.CountSince(StartOfToday()), _log.All().LastOrDefault());
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

        if (_voltage is null && !_hasPin) return;
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
                    _entities.SetBrownoutsToday(_log.CountSince(today), _log.All().LastOrDefault());
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <summary>The fail pin's (already polarity-corrected) level: true = power failing. Called from the driver's thread.</summary>
    public void ReportFailPin(bool failing)
    {
        var edgeAt = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            if (failing)
            {
                // A fail edge during the restore debounce cancels it: the pin flapped.
                _pinRestoreTimer?.Dispose();
                _pinRestoreTimer = null;
                if (_pinFailing) return;
                _pinFailing = true;
            }
            else
            {
                if (!_pinFailing || _pinRestoreTimer is not null) return;
                var debounce = _options.FailPin?.Debounce ?? TimeSpan.Zero;
                if (debounce > TimeSpan.Zero)
                {
                    var generation = ++_generation;
                    _pinRestoreTimer = _time.CreateTimer(_ => PinSettled(generation), null, debounce, Timeout.InfiniteTimeSpan);
                    return;
                }

                _pinFailing = false;
            }

            EvaluateLocked(edgeAt, _pinSource);
        }
    }

    /// <summary>A reading from the voltage source (also the path tests and the simulator use).</summary>
    public void ReportVoltage(VoltageReading reading)
    {
        var at = Stopwatch.GetTimestamp();
        var source = _voltage?.Name ?? "the voltage source";
        lock (_lock)
        {
            _lastVolts = reading.Volts ?? _lastVolts;
            if (_current is not null && reading.Volts is { } v && (_current.LowestVolts is null || v < _current.LowestVolts)) _current.LowestVolts = v;
            if (reading.UnderVoltage != _voltageLow)
            {
                _voltageLow = reading.UnderVoltage;
                var cause = reading.Volts is { } volts
                    ? $"a low supply voltage ({volts:0.00} V below {_options.Voltage.LowVolts:0.00} V, {source})"
                    : $"under-voltage reported by {source}";
                EvaluateLocked(at, cause);
            }
        }

        Enqueue(() =>
        {
            _entities.SetUnderVoltage(reading.UnderVoltage, source, reading.OccurredSinceBoot);
            if (_voltage?.MeasuresVolts == true) _entities.SetVoltage(reading.Volts, source);
            if (_voltage?.MeasuresAmps == true) _entities.SetCurrent(reading.Amps, source);
            PublishPowerFail();
            return Task.CompletedTask;
        });
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _generation++;
            _pinRestoreTimer?.Dispose();
            _recoveryTimer?.Dispose();
            _shutdownTimer?.Dispose();
            _pinRestoreTimer = _recoveryTimer = _shutdownTimer = null;
        }
    }

    private void PinSettled(long generation)
    {
        lock (_lock)
        {
            if (generation != _generation || _pinRestoreTimer is null) return;
            _pinRestoreTimer.Dispose();
            _pinRestoreTimer = null;
            _pinFailing = false;
            EvaluateLocked(Stopwatch.GetTimestamp(), _pinSource);
        }
    }

    private void PollVoltage()
    {
        if (_voltage is not { } source) return;
        try
        {
            var reading = source.Read();
            if (_voltageBroken) _logger.LogInformation("{Source} answers again", source.Name);
            _voltageBroken = false;
            ReportVoltage(reading);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or InvalidOperationException)
        {
            // Said once per outage, not once per poll.
            if (!_voltageBroken) _logger.LogWarning("{Source} stopped answering ({Error}); its entities are unavailable until it does", source.Name, ex.Message);
            _voltageBroken = true;
            Enqueue(() =>
            {
                _entities.SetUnderVoltage(null, source.Name, null);
                if (source.MeasuresVolts) _entities.SetVoltage(null, source.Name);
                if (source.MeasuresAmps) _entities.SetCurrent(null, source.Name);
                return Task.CompletedTask;
            });
        }
    }

    private DateTimeOffset StartOfToday()
    {
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(_hub.Info.TimeZone, out var z) ? z : TimeZoneInfo.Utc;
        var local = TimeZoneInfo.ConvertTime(_time.GetUtcNow(), zone);
        return new DateTimeOffset(local.Date, local.Offset);
    }

    /// <summary>Runs side effects one at a time, in the order the transitions happened, off the signalling thread.</summary>
    private Task Enqueue(Func<Task> effect)
    {
        lock (_lock)
        {
            var next = _effects.ContinueWith(async _ =>
            {
                try
                {
                    await effect().ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    _logger.LogError(ex, "A power-fail follow-up step failed");
                }
            }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
            _effects = next;
            return next;
        }
    }

    private sealed class Pending(DateTimeOffset start, string cause, double? volts)
    {
        public DateTimeOffset Start { get; } = start;

        public string Cause { get; } = cause;

        public double? LowestVolts { get; set; } = volts;

        public bool ShutdownRequested { get; set; }
    }
}
