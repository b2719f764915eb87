using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;

namespace PiHub.Server.Hosting;

/// <summary>
/// Sends <c>WATCHDOG=1</c> every <c>WATCHDOG_USEC/2</c> while the hub's health check passes, and a
/// readable <c>STATUS=</c> line. Outside systemd (no notifier, or no watchdog asked for) it does nothing.
/// </summary>
internal sealed class SystemdWatchdog : BackgroundService
{
    private readonly ISystemdNotifier? _notifier;
    private readonly HubHealth _health;
    private readonly ILogger _logger;
    private readonly TimeSpan? _interval;

    public SystemdWatchdog(HubHealth health, ILogger<SystemdWatchdog> logger, ISystemdNotifier? notifier = null)
        : this(health, logger, notifier, Environment.GetEnvironmentVariable("WATCHDOG_USEC"), Environment.GetEnvironmentVariable("WATCHDOG_PID"))
    {
    }

    /// <summary>For testing: the watchdog variables given explicitly.</summary>
    internal SystemdWatchdog(HubHealth health, ILogger<SystemdWatchdog> logger, ISystemdNotifier? notifier, string? watchdogUsec, string? watchdogPid)
    {
        _health = health;
        _logger = logger;
        _notifier = notifier is { IsEnabled: true } ? notifier : null;
        var forUs = watchdogPid is null || watchdogPid == Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        if (forUs && long.TryParse(watchdogUsec, NumberStyles.None, CultureInfo.InvariantCulture, out var usec) && usec > 0)
        {
            _interval = TimeSpan.FromMicroseconds(usec / 2.0);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_notifier is null) return;
        var interval = _interval ?? TimeSpan.FromSeconds(30);
        string? lastStatus = null;
        using var timer = new PeriodicTimer(interval);
        do
        {
            var problem = await _health.CheckAsync(stoppingToken).ConfigureAwait(false);
            if (problem is null)
            {
                if (_interval is not null) _notifier.Notify(new ServiceState("WATCHDOG=1"));
            }
            else
            {
                // No ping: systemd restarts the service when the watchdog interval runs out.
                _logger.LogError("Health check failed, not pinging the systemd watchdog: {Problem}", problem);
            }

            var status = problem is null ? _health.Status() : $"unhealthy: {problem}";
            if (status != lastStatus)
            {
                _notifier.Notify(new ServiceState("STATUS=" + status));
                lastStatus = status;
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
