using Microsoft.Extensions.Logging;
using PiHub.Core.Power;

namespace PiHub.Hardware.Simulation;

/// <summary>
/// Dev mode's power-off: records the request and logs it, and leaves the machine running (a
/// developer's PC must not power off because a simulated UPS said so).
/// </summary>
public sealed class SimulatedPowerOff(ILogger logger) : IPowerOff
{
    private readonly List<string> _requests = [];

    /// <summary>The reasons of every request so far.</summary>
    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_requests) return [.. _requests];
        }
    }

    /// <inheritdoc />
    public Task<string> RequestAsync(string reason, CancellationToken cancellationToken = default)
    {
        lock (_requests) _requests.Add(reason);
        logger.LogWarning("Simulated hardware: a real hub would power off now ({Reason}); this machine keeps running", reason);
        return Task.FromResult("the simulated power-off (dev mode)");
    }
}
