using Microsoft.Extensions.Logging.Abstractions;
using PiHub.Hardware.Shutdown;
using Tmds.DBus.Protocol;

namespace PiHub.Hardware.Tests.Shutdown;

public class LogindPowerOffTests
{
    [Test]
    public async Task Request_LogindAnswers_NoFallback()
    {
        var systemctl = 0;
        var seam = new LogindPowerOff(NullLogger.Instance, _ => Task.CompletedTask, _ => Task.FromResult(++systemctl - 1));

        var how = await seam.RequestAsync("test");

        Assert.That(how, Does.StartWith("logind"));
        Assert.That(systemctl, Is.Zero);
    }

    [Test]
    public async Task Request_NoSystemBus_FallsBackToSystemctl()
    {
        var systemctl = 0;
        var seam = new LogindPowerOff(NullLogger.Instance,
            _ => throw new DBusConnectFailedException("no system bus"),
            _ => Task.FromResult(++systemctl - 1));

        var how = await seam.RequestAsync("test");

        Assert.That(how, Is.EqualTo("`systemctl poweroff`"));
        Assert.That(systemctl, Is.EqualTo(1));
    }

    [Test]
    public void Request_LogindRefusesAndSystemctlFails_Throws()
    {
        var seam = new LogindPowerOff(NullLogger.Instance,
            _ => throw new DBusErrorReplyException("org.freedesktop.DBus.Error.ServiceUnknown", "logind is not running"),
            _ => Task.FromResult(1));

        Assert.That(async () => await seam.RequestAsync("test"), Throws.InvalidOperationException.With.Message.Contains("exited with code 1"));
    }
}
