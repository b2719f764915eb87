using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PiHub.Core.Admin;
using PiHub.Configuration;
using PiHub.Server.Hosting;

namespace PiHub.Server.AdminSocket;

/// <summary>
/// The admin Unix socket <c>pihub-cli</c> talks to while the service runs: a Kestrel server of its own that
/// listens only there and maps only the admin route, sharing the hub's auth system and store. The main server
/// never maps the route, so no TCP request can reach it. The socket is 0600 (0660 with <c>admin.group</c>),
/// and every request's peer is checked as well (<see cref="AdminAccessPolicy"/>).
/// </summary>
internal sealed class AdminSocketListener(PiHubOptions options, HubAdmin admin, ILoggerFactory loggers) : IHostedService, IAsyncDisposable
{
    private readonly ILogger _logger = loggers.CreateLogger("PiHub.Admin");
    private WebApplication? _app;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var path = options.Admin.Socket;
        try
        {
            var folder = Path.GetDirectoryName(path)!;
            if (!Directory.Exists(folder) && !OperatingSystem.IsWindows())
            {
                // Only the socket lives here, with its own mode; the group named in admin.group must reach it.
                Directory.CreateDirectory(folder);
                File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                    UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            }
            // A socket file left by a crash: the store lock is ours, so no other pihub serves this hub.
            if (File.Exists(path)) File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The hub still serves its users; pihub-cli reaches the store directly once the service is stopped.
            _logger.LogError("No admin socket at {Path} ({Error}): pihub-cli works only while the service is stopped. Check admin.socket and the folder's permissions.", path, ex.Message);
            return;
        }

        var policy = AdminAccessPolicy.ForThisProcess(options.Admin.Group);
        var builder = WebApplication.CreateSlimBuilder(SlimHostOptions.For([]));
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = 256L * 1024 * 1024; // a restored backup travels in the body
            k.ListenUnixSocket(path);
        });
        // The hub's own host owns the process: signals, systemd and the "Now listening on" lines (which
        // tests and scripts read for the HTTP port) stay its alone. Admin requests log through the hub's logger.
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, QuietLifetime>();
        builder.Services.AddSingleton(new AdminSocketLog(_logger));
        builder.Services.AddSingleton(admin);
        builder.Services.AddSingleton(policy);
        _app = builder.Build();
        _app.MapAdminSocketEndpoints();
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        // PiHub runs on Linux only; the guard is for the platform analyzer.
        if (OperatingSystem.IsWindows()) return;
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        ShareWithGroup(path, policy);
        _logger.LogInformation("Admin socket for pihub-cli: {Path}", path);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is null) return;
        await _app.StopAsync(cancellationToken).ConfigureAwait(false);
        await DisposeAsync().ConfigureAwait(false);
        try
        {
            File.Delete(options.Admin.Socket);
        }
        catch (IOException)
        {
            // A leftover socket file is replaced at the next start.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is null) return;
        var app = _app;
        _app = null;
        await app.DisposeAsync().ConfigureAwait(false);
    }

    private void ShareWithGroup(string path, AdminAccessPolicy policy)
    {
        if (options.Admin.Group is not { } group) return;
        if (policy.GroupId is not { } gid)
        {
            _logger.LogWarning("admin.group {Group} does not exist in /etc/group: only root can use pihub-cli. Create the group (addgroup {Group}) and restart PiHub.", group, group);
            return;
        }

        if (!UnixSocketFile.TryChangeGroup(path, gid, out var errno))
        {
            _logger.LogWarning("The admin socket could not be given to group {Group} (errno {Errno}): only root can use pihub-cli. Add the service user to {Group} (and, under the packaged unit's PrivateUsers=yes, keep using sudo).", group, errno, group);
            return;
        }

        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
    }
}

/// <summary>The hub's logger, for the admin socket's requests.</summary>
internal sealed record AdminSocketLog(ILogger Logger);

/// <summary>A lifetime that leaves signals and console messages to the hub's own host.</summary>
internal sealed class QuietLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
