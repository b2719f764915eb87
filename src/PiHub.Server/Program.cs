using Microsoft.AspNetCore.Connections;
using PiHub.Core.Auth.Storage;
using PiHub.Configuration;
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
catch (IOException ex) when (ex.InnerException is AddressInUseException)
{
    // Often Home Assistant, which uses 8123 too. The stores were closed cleanly on the way out.
    await Console.Error.WriteLineAsync(
        $"pihub: {ex.Message.TrimEnd('.')}: another program is listening there (`sudo ss -ltnp` names it). Stop that program, " +
        "or give PiHub a free port: http.server_port in the config file or the environment variable PIHUB__HTTP__SERVER_PORT " +
        "(with --urls, another URL).").ConfigureAwait(false);
    return 75; // EX_TEMPFAIL: systemd retries, in case the port is freed.
}
