using PiHub.Core.Admin;
using PiHub.Core.Auth.Storage;

namespace PiHub.Cli.Hosting;

/// <summary>How a request reached the store.</summary>
internal enum AdminPath
{
    /// <summary>The running service, over its admin socket.</summary>
    Service,

    /// <summary>The store files, opened by pihub-cli (service stopped).</summary>
    Direct,
}

/// <summary>
/// Runs a request on the running service when its admin socket answers, else on the store directly. Never both
/// writing: the direct path takes the store's exclusive lock, which the service holds while it runs.
/// </summary>
internal static class AdminRunner
{
    /// <summary>How long to wait for a service that holds the store but does not answer yet (starting up).</summary>
    public static TimeSpan StartupWait { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Runs <paramref name="request"/> on the service, else on the store; with <paramref name="serviceOnly"/>, a stopped
    /// service is a failure saying to start it (the store is not opened).
    /// </summary>
    public static async Task<(AdminResult Result, AdminPath Path)> RunAsync(HubTarget target, AdminRequest request, CliConsole console,
        CancellationToken cancellationToken, bool serviceOnly = false)
    {
        var deadline = DateTime.UtcNow + StartupWait;
        while (true)
        {
            var (reach, result) = await SocketAdminClient.TryRunAsync(target.Socket, request, cancellationToken).ConfigureAwait(false);
            if (reach == SocketAdminClient.Reach.Answered) return (result!, AdminPath.Service);
            if (serviceOnly) throw CliFailure.From(AdminException.ServiceNotRunning(request.Command.Replace('.', ' '), target.DevMode, target.Socket));
            try
            {
                return (await DirectAdmin.RunAsync(target, request, console, cancellationToken).ConfigureAwait(false), AdminPath.Direct);
            }
            catch (AuthStoreException ex) when (ex.Error == AuthStoreError.Locked)
            {
                // The store is held but the socket is silent: the service is starting (the store opens before
                // the socket listens), or another pihub-cli is at work. Wait for either to finish.
                if (DateTime.UtcNow > deadline)
                {
                    throw CliFailure.Unavailable(
                        $"{ex.Message} Its admin socket {target.Socket} did not answer within {StartupWait.TotalSeconds:0} s: if PiHub is starting, try again in a moment; if it hangs, `systemctl restart pihub`.", ex);
                }

                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
            }
            catch (AuthStoreException ex)
            {
                throw CliFailure.Unavailable(ex.Message, ex);
            }
            catch (AdminException ex)
            {
                throw CliFailure.From(ex);
            }
        }
    }
}
