using System.Net;
using System.Net.Sockets;
using PiHub.Testing;

namespace PiHub.EndToEnd.Tests.Regressions;

/// <summary>
/// A port already in use (Home Assistant listens on 8123 too) ended the hub with an unhandled exception: a
/// 60-line stack trace, SIGABRT and a core dump instead of one sentence saying what to do.
/// </summary>
[TestFixture("linux-x64")]
[TestFixture("linux-x64-jit")]
public class PortInUseCrashesTests(string flavour)
{
    [Test]
    public async Task PublishedBinary_PortTaken_ExitsWithOneLineNamingTheSetting()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var dataDir = Path.Combine(Path.GetTempPath(), "pihub-port-taken-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (exitCode, output) = await PiHubProcess.RunToExitAsync(PublishedBinary.PathOf(flavour), [], new Dictionary<string, string>
            {
                ["PIHUB__STORAGE__DATA_DIR"] = dataDir,
                ["PIHUB__HTTP__SERVER_HOST"] = "127.0.0.1",
                ["PIHUB__HTTP__SERVER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            });

            Assert.That(exitCode, Is.EqualTo(75), output);
            Assert.That(output, Does.Contain($"127.0.0.1:{port}").And.Contain("another program is listening there").And.Contain("http.server_port"));
            Assert.That(output, Does.Not.Contain("Unhandled exception"));
        }
        finally
        {
            if (Directory.Exists(dataDir)) Directory.Delete(dataDir, recursive: true);
        }
    }
}
