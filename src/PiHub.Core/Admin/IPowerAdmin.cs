namespace PiHub.Core.Admin;

/// <summary>
/// The power monitor as <c>pihub-cli</c> sees it: one line for <c>status</c>, and dev mode's simulated power-fail
/// pin for <c>power simulate</c>. The running service supplies the live monitor; with the service stopped,
/// <see cref="StoppedPower"/> says what is configured and refuses to simulate.
/// </summary>
public interface IPowerAdmin
{
    /// <summary>The power state for <c>status</c>, e.g. "good; watching power-fail pin GPIO 6 …".</summary>
    string State { get; }

    /// <summary>
    /// Asserts (<paramref name="fail"/>) or releases the simulated power-fail pin and waits until the hub has acted
    /// on it. Throws <see cref="AdminException"/> on real hardware, without a power-fail pin, or with no service.
    /// </summary>
    Task<AdminResult> SimulateAsync(bool fail, CancellationToken cancellationToken);
}
