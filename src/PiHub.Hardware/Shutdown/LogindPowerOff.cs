using System.Diagnostics;
using Microsoft.Extensions.Logging;
using PiHub.Core.Power;
using Tmds.DBus.Protocol;

namespace PiHub.Hardware.Shutdown;

/// <summary>
/// Asks systemd-logind to power off (<c>org.freedesktop.login1.Manager.PowerOff(false)</c> on the
/// system bus), falling back to <c>systemctl poweroff</c> when the bus or logind is unreachable or
/// refuses. The pihub user needs polkit's <c>org.freedesktop.login1.power-off</c> for the first.
/// </summary>
public sealed class LogindPowerOff : IPowerOff
{
    private readonly ILogger _logger;
    private readonly Func<CancellationToken, Task> _callLogind;
    private readonly Func<CancellationToken, Task<int>> _runSystemctl;

    public LogindPowerOff(ILogger logger)
        : this(logger, CallLogindAsync, RunSystemctlAsync)
    {
    }

    /// <summary>For testing: both ways to power off given explicitly.</summary>
    internal LogindPowerOff(ILogger logger, Func<CancellationToken, Task> callLogind, Func<CancellationToken, Task<int>> runSystemctl)
    {
        _logger = logger;
        _callLogind = callLogind;
        _runSystemctl = runSystemctl;
    }

    /// <inheritdoc />
    public async Task<string> RequestAsync(string reason, CancellationToken cancellationToken = default)
    {
        try
        {
            await _callLogind(cancellationToken).ConfigureAwait(false);
            return "logind (PowerOff on the system D-Bus)";
        }
        catch (Exception ex) when (ex is DBusConnectFailedException or DBusErrorReplyException or DBusConnectionClosedException or IOException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            _logger.LogWarning("logind did not take the power-off request ({Error}); trying `systemctl poweroff`", ex.Message);
        }

        var exitCode = await _runSystemctl(cancellationToken).ConfigureAwait(false);
        return exitCode == 0
            ? "`systemctl poweroff`"
            : throw new InvalidOperationException($"`systemctl poweroff` exited with code {exitCode}");
    }

    private static async Task CallLogindAsync(CancellationToken cancellationToken)
    {
        var address = DBusAddress.System ?? throw new DBusConnectFailedException("no system bus address is known");
        using var connection = new DBusConnection(address);
        await connection.ConnectAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        await connection.CallMethodAsync(CreatePowerOffMessage(connection)).ConfigureAwait(false);
    }

    /// <summary>Built outside the async method: <see cref="MessageWriter"/> is a ref struct.</summary>
    internal static MessageBuffer CreatePowerOffMessage(DBusConnection connection)
    {
        using var writer = connection.GetMessageWriter();
        writer.WriteMethodCallHeader(
            destination: "org.freedesktop.login1",
            path: "/org/freedesktop/login1",
            @interface: "org.freedesktop.login1.Manager",
            member: "PowerOff",
            signature: "b");
        writer.WriteBool(false); // not interactive: never wait for a polkit prompt nobody sees
        return writer.CreateMessage();
    }

    private static async Task<int> RunSystemctlAsync(CancellationToken cancellationToken)
    {
        using var process = Process.Start(new ProcessStartInfo("systemctl", "poweroff") { UseShellExecute = false })
            ?? throw new InvalidOperationException("`systemctl poweroff` could not be started");
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return process.ExitCode;
    }
}
