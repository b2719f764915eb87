using System.Text.Json;
using Microsoft.Extensions.Logging;
using PiHub.Core.Hub;

namespace PiHub.Core.Power;

/// <summary>
/// What follows a power transition, off the signalling thread and one step at a time in the order the
/// transitions happened: the power entities, <see cref="PowerManager.FailingEvent"/> and
/// <see cref="PowerManager.RestoredEvent"/>, the brownout record and notification, the shutdown request,
/// and the one-line status. Owns the effect queue and the status text; decides nothing.
/// </summary>
internal sealed class PowerEffects
{
    private readonly HubCore _hub;
    private readonly BrownoutLog _log;
    private readonly IPowerOff _powerOff;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Action _publishPowerFail;
    private readonly object _lock = new();
    private Task _queue = Task.CompletedTask;
    private string? _statusText;

    /// <summary>
    /// The effects of <paramref name="hub"/>'s power transitions; <paramref name="publishPowerFail"/> sets
    /// <c>binary_sensor.power_fail</c> from the signals as they are when it runs.
    /// </summary>
    public PowerEffects(HubCore hub, BrownoutLog log, IPowerOff powerOff, TimeProvider time, ILogger logger, Action publishPowerFail)
    {
        _hub = hub;
        _log = log;
        _powerOff = powerOff;
        _time = time;
        _logger = logger;
        _publishPowerFail = publishPowerFail;
        Entities = new PowerEntities(hub.States);
    }

    /// <summary>Raised when the status line changes; null means "power good".</summary>
    public event Action<string?>? StatusChanged;

    public PowerEntities Entities { get; }

    public string? StatusText => Volatile.Read(ref _statusText);

    /// <summary>Completes once every step queued so far has run.</summary>
    public Task WhenSettledAsync()
    {
        lock (_lock) return _queue;
    }

    /// <summary>Queues a step behind the others; a failing step is logged and the queue goes on.</summary>
    public Task Enqueue(Func<Task> effect)
    {
        lock (_lock)
        {
            var next = _queue.ContinueWith(async _ =>
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
            _queue = next;
            return next;
        }
    }

    /// <summary>Queues a status change (with the power-fail entity re-read).</summary>
    public Task EnqueueStatus(string? status) => Enqueue(() => Publish(status));

    /// <summary>After the flushes of a new brownout: the log line, <see cref="PowerManager.FailingEvent"/>, the status.</summary>
    public async Task FailingAsync(BrownoutTransition.Started started, Task<TimeSpan> flushed, IEnumerable<string> stores)
    {
        var elapsed = await flushed.ConfigureAwait(false);
        _logger.LogWarning("Power failing ({Cause}): changes paused and {Stores} flushed {Ms:0.0} ms after the signal",
            started.Cause, string.Join(", ", stores), elapsed.TotalMilliseconds);
        _hub.Bus.Fire(new CustomEvent(PowerManager.FailingEvent, Json(w =>
        {
            w.WriteString("cause", started.Cause);
            w.WriteString("since", HubJson.FormatTime(started.Start));
            if (started.Volts is { } v) w.WriteNumber("volts", Math.Round(v, 3));
            w.WriteNumber("flush_ms", Math.Round(elapsed.TotalMilliseconds, 2));
        }), HubContext.New(time: _time), _time.GetUtcNow()));
        await Publish(FailingStatus(started.Start, started.Cause)).ConfigureAwait(false);
    }

    /// <summary>The status while power is failing.</summary>
    public string FailingStatus(DateTimeOffset since, string cause) => $"power failing since {Local(since):HH:mm:ss} ({cause}); changes paused";

    /// <summary>After writes resumed: the record, the notification, <see cref="PowerManager.RestoredEvent"/>, the daily count, the status.</summary>
    public async Task RecoveredAsync(Brownout brownout, DateTimeOffset startOfToday)
    {
        await SaveAsync("the brownout record", () => _log.AddAsync(brownout)).ConfigureAwait(false);
        await SaveAsync("the brownout notification", () => _hub.Notifications.CreateAsync(Describe(brownout),
            $"Brownout: power failed for {brownout.Duration.TotalSeconds:0} s", $"power_brownout_{brownout.Start.ToUnixTimeMilliseconds()}")).ConfigureAwait(false);
        _hub.Bus.Fire(new CustomEvent(PowerManager.RestoredEvent, Json(w =>
        {
            w.WriteString("start", HubJson.FormatTime(brownout.Start));
            w.WriteString("end", HubJson.FormatTime(brownout.End));
            w.WriteNumber("duration_s", Math.Round(brownout.Duration.TotalSeconds, 3));
            w.WriteString("cause", brownout.Cause);
            if (brownout.LowestVolts is { } v) w.WriteNumber("lowest_volts", Math.Round(v, 3)); else w.WriteNull("lowest_volts");
            w.WriteNumber("refused", brownout.Refused.Total);
        }), HubContext.New(time: _time), _time.GetUtcNow()));
        Entities.SetBrownoutsToday(_log.CountSince(startOfToday), brownout);
        await Publish(null).ConfigureAwait(false);
    }

    /// <summary>Asks the system to power off (the stores are flushed already); logged before it is asked.</summary>
    public async Task ShutdownAsync(string reason)
    {
        // Logged before it is issued: after it, there may be no time to log anything.
        _logger.LogCritical("PiHub requests a clean shutdown now: {Reason}", reason);
        SetStatus($"shutting down: {reason}");
        try
        {
            var how = await _powerOff.RequestAsync(reason).ConfigureAwait(false);
            _logger.LogWarning("Shutdown requested through {How}", how);
        }
        catch (Exception ex)
        {
            _logger.LogError("PiHub could not request a shutdown ({Error}); writes stay paused and the stores flushed. Power the hub off by hand if you can", ex.Message);
        }
    }

    /// <summary>The hub's local time of <paramref name="time"/> (its configured zone; UTC when unknown).</summary>
    public DateTimeOffset Local(DateTimeOffset time) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(_hub.Info.TimeZone, out var zone) ? TimeZoneInfo.ConvertTime(time, zone) : time;

    /// <summary>The entity (from the signals as they are now, so a late step never shows a stale level) and the status.</summary>
    private Task Publish(string? status)
    {
        _publishPowerFail();
        SetStatus(status);
        return Task.CompletedTask;
    }

    private void SetStatus(string? status)
    {
        if (Interlocked.Exchange(ref _statusText, status) == status) return;
        try
        {
            StatusChanged?.Invoke(status);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "A power status listener failed");
        }
    }

    private async Task SaveAsync(string what, Func<Task> save)
    {
        try
        {
            await save().ConfigureAwait(false);
        }
        catch (Exception ex) when (StoreRefusedException.IsPowerFailing(ex))
        {
            // Power failed again within moments of coming back: the gate is closed once more.
            _logger.LogWarning("{What} could not be saved: power is failing again", what);
        }
    }

    private string Describe(Brownout b)
    {
        var lowest = b.LowestVolts is { } v ? $"; lowest supply {v:0.00} V" : "";
        var text = $"Power failed at {Local(b.Start):yyyy-MM-dd HH:mm:ss} ({b.Cause}{lowest}) and was good again after {b.Duration.TotalSeconds:0.0} s. " +
                   "PiHub paused changes and flushed its stores, so nothing was half-written.";
        if (b.ShutdownRequested) text += " Power stayed bad long enough that PiHub asked the system to shut down.";
        if (b.Refused.Total == 0) return text + " No change was refused.";
        var items = string.Join(", ", b.Refused.Items.Select(r => $"{r.Store}: {r.What}{(r.Count > 1 ? $" (×{r.Count})" : "")}"));
        var more = b.Refused.Total > b.Refused.Items.Sum(r => r.Count) ? " and more" : "";
        return text + $" {b.Refused.Total} change{(b.Refused.Total == 1 ? " was" : "s were")} refused and must be made again: {items}{more}.";
    }

    private static JsonElement Json(Action<Utf8JsonWriter> write)
    {
        var bytes = HubJson.ToBytes(write, static (w, f) =>
        {
            w.WriteStartObject();
            f(w);
            w.WriteEndObject();
        });
        using var doc = JsonDocument.Parse(bytes);
        return doc.RootElement.Clone();
    }
}
