using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using PiHub.Core.Hub;

namespace PiHub.Core.Power;

public sealed partial class PowerManager
{
    /// <summary>Decides what the current signals mean. Callers hold <see cref="_lock"/>.</summary>
    private void EvaluateLocked(long signalAt, string cause)
    {
        var failing = _pinFailing || _voltageLow;
        if (failing)
        {
            if (_recoveryTimer is not null)
            {
                _recoveryTimer.Dispose();
                _recoveryTimer = null;
                _generation++;
                _logger.LogWarning("Power is bad again ({Cause}) before writes resumed; the brownout goes on", cause);
            }

            if (_current is null) StartBrownoutLocked(signalAt, cause);
            else
            {
                var since = Local(_current.Start);
                Enqueue(() => Publish($"power failing since {since:HH:mm:ss} ({cause}); changes paused"));
            }
            if (_options.ShutdownAfter is { } after && _shutdownTimer is null)
            {
                var generation = _generation;
                _shutdownTimer = _time.CreateTimer(_ => ShutdownDue(generation, after), null, after, Timeout.InfiniteTimeSpan);
            }

            return;
        }

        _shutdownTimer?.Dispose();
        _shutdownTimer = null;
        if (_current is null || _recoveryTimer is not null) return;
        var recoveryGeneration = ++_generation;
        _recoveryTimer = _time.CreateTimer(_ => Recover(recoveryGeneration), null, _options.Recovery, Timeout.InfiniteTimeSpan);
        var seconds = _options.Recovery.TotalSeconds;
        Enqueue(() => Publish($"power back; changes resume after {seconds:0.#} s of good power"));
    }

    private void StartBrownoutLocked(long signalAt, string cause)
    {
        // First the gate, then the flushes: each store's checkpoint queues behind the commit it is
        // running, and every commit after it is refused. Nothing here waits.
        _gate.Pause();
        var flushes = new Task[_flushes.Count];
        for (var i = 0; i < flushes.Length; i++) flushes[i] = FlushOneAsync(_flushes[i]);
        LastFlush = Task.WhenAll(flushes).ContinueWith(_ => Stopwatch.GetElapsedTime(signalAt),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        var pending = new Pending(_time.GetUtcNow(), cause, _lastVolts);
        _current = pending;
        var flushed = LastFlush;
        Enqueue(async () =>
        {
            var elapsed = await flushed.ConfigureAwait(false);
            _logger.LogWarning("Power failing ({Cause}): changes paused and {Stores} flushed {Ms:0.0} ms after the signal",
                cause, string.Join(", ", _flushes.Select(f => f.Name)), elapsed.TotalMilliseconds);
            _hub.Bus.Fire(new CustomEvent(FailingEvent, Json(w =>
            {
                w.WriteString("cause", cause);
                w.WriteString("since", HubJson.FormatTime(pending.Start));
                if (pending.LowestVolts is { } v) w.WriteNumber("volts", Math.Round(v, 3));
                w.WriteNumber("flush_ms", Math.Round(elapsed.TotalMilliseconds, 2));
            }), HubContext.New(time: _time), _time.GetUtcNow()));
            await Publish($"power failing since {Local(pending.Start):HH:mm:ss} ({cause}); changes paused").ConfigureAwait(false);
        });
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

    private void Recover(long generation)
    {
        Brownout brownout;
        lock (_lock)
        {
            if (generation != _generation || _current is not { } pending) return;
            _recoveryTimer?.Dispose();
            _recoveryTimer = null;
            _current = null;
            var refused = _gate.Resume();
            brownout = new Brownout(pending.Start, _time.GetUtcNow(), pending.Cause, pending.LowestVolts, refused, pending.ShutdownRequested);
        }

        _logger.LogInformation("Power has been good for {Seconds:0.#} s: changes resume. Brownout of {Duration:0.0} s recorded ({Refused} changes refused)",
            _options.Recovery.TotalSeconds, brownout.Duration.TotalSeconds, brownout.Refused.Total);
        LastRecovery = Enqueue(async () =>
        {
            await SaveAsync("the brownout record", () => _log.AddAsync(brownout)).ConfigureAwait(false);
            await SaveAsync("the brownout notification", () => _hub.Notifications.CreateAsync(Describe(brownout),
                $"Brownout: power failed for {brownout.Duration.TotalSeconds:0} s", $"power_brownout_{brownout.Start.ToUnixTimeMilliseconds()}")).ConfigureAwait(false);
            _hub.Bus.Fire(new CustomEvent(RestoredEvent, Json(w =>
            {
                w.WriteString("start", HubJson.FormatTime(brownout.Start));
                w.WriteString("end", HubJson.FormatTime(brownout.End));
                w.WriteNumber("duration_s", Math.Round(brownout.Duration.TotalSeconds, 3));
                w.WriteString("cause", brownout.Cause);
                if (brownout.LowestVolts is { } v) w.WriteNumber("lowest_volts", Math.Round(v, 3)); else w.WriteNull("lowest_volts");
                w.WriteNumber("refused", brownout.Refused.Total);
            }), HubContext.New(time: _time), _time.GetUtcNow()));
            _entities.SetBrownoutsToday(_log.CountSince(StartOfToday()), brownout);
            await Publish(null).ConfigureAwait(false);
        });
    }

    private async Task SaveAsync(string what, Func<Task> save)
    {
        try
        {
            await save().ConfigureAwait(false);
        }
        catch (HubException ex) when (ex.Code == WriteGate.Code)
        {
            // Power failed again within moments of coming back: the gate is closed once more.
            _logger.LogWarning("{What} could not be saved: power is failing again", what);
        }
    }

    private void ShutdownDue(long generation, TimeSpan after)
    {
        lock (_lock)
        {
            if (generation != _generation || _current is null || _recoveryTimer is not null) return;
            _current.ShutdownRequested = true;
        }

        var reason = $"power has been bad for {after.TotalSeconds:0} s (power.shutdown_after_s)";
        Enqueue(async () =>
        {
            await Task.WhenAll(_flushes.Select(FlushOneAsync)).ConfigureAwait(false);
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
        });
    }

    /// <summary>The entity (from the signals as they are now, so a late step never shows a stale level) and the status.</summary>
    private Task Publish(string? status)
    {
        PublishPowerFail();
        SetStatus(status);
        return Task.CompletedTask;
    }

    /// <summary><c>binary_sensor.power_fail</c>: on while the pin or a low reading says power is failing.</summary>
    private void PublishPowerFail()
    {
        bool failing;
        lock (_lock) failing = _pinFailing || _voltageLow;
        var source = _hasPin && _voltage is not null ? $"{_pinSource} and {_voltage.Name}" : _hasPin ? _pinSource : _voltage?.Name;
        if (source is not null) _entities.SetPowerFail(failing, _gate.IsPaused, source);
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

    private DateTimeOffset Local(DateTimeOffset time) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(_hub.Info.TimeZone, out var zone) ? TimeZoneInfo.ConvertTime(time, zone) : time;

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
