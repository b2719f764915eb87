using PiHub.Core.Auth.Storage;
using PiHub.Server.Configuration;
using PiHub.Server.Hosting;

try
{
    var app = PiHubApplication.Build(args);
    StartupMemoryTrim.Schedule(app);
    await app.RunAsync().ConfigureAwait(false);
    return 0;
}
catch (ConfigException ex)
{
    // Nothing has been opened or written yet: say what to fix and stop.
    await Console.Error.WriteLineAsync($"pihub: configuration error: {ex.Message}").ConfigureAwait(false);
    return 78; // EX_CONFIG: systemd shows it, and RestartPreventExitStatus keeps it from looping.
}
catch (AuthStoreException ex)
{
    await Console.Error.WriteLineAsync($"pihub: auth store: {ex.Message}").ConfigureAwait(false);
    return ex.Error == AuthStoreError.Locked ? 75 : 74; // EX_TEMPFAIL / EX_IOERR
}
