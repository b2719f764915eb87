using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using PiHub.Core.Admin;

namespace PiHub.Cli.Hosting;

/// <summary>Sends an <see cref="AdminRequest"/> to the running service over its admin Unix socket.</summary>
internal static class SocketAdminClient
{
    /// <summary>Outcome of trying the socket: answered, nobody listening (service stopped), or refused.</summary>
    public enum Reach
    {
        Answered,
        NotListening,
    }

    /// <summary>
    /// Runs the request on the service. Returns <see cref="Reach.NotListening"/> when no service listens on the
    /// socket; throws <see cref="CliFailure"/> when one does and refuses (permissions) or fails the operation.
    /// </summary>
    public static async Task<(Reach Reach, AdminResult? Result)> TryRunAsync(string socketPath, AdminRequest request, CancellationToken cancellationToken)
    {
        if (!File.Exists(socketPath)) return (Reach.NotListening, null);
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        // A restore or a password hash on a Pi takes seconds, not minutes; five is a generous bound.
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromMinutes(5) };
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsJsonAsync(new Uri($"http://localhost/admin/v1/{request.Command}"), request,
                AdminJsonContext.Default.AdminRequest, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (ex.InnerException is SocketException socket)
        {
            return socket.SocketErrorCode switch
            {
                SocketError.AccessDenied => throw CliFailure.NotPermitted(
                    $"You may not use the admin socket {socketPath}: run pihub-cli as root (sudo pihub-cli …).", ex),
                // A socket file left by a crash, or a service between stop and start: nobody answers.
                _ => (Reach.NotListening, null),
            };
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var result = await response.Content.ReadFromJsonAsync(AdminJsonContext.Default.AdminResult, cancellationToken).ConfigureAwait(false);
                return (Reach.Answered, result ?? throw new CliFailure(ExitCodes.Failed, "internal_error", "The service answered with an empty result; see `journalctl -u pihub`."));
            }

            AdminError? error = null;
            try
            {
                error = await response.Content.ReadFromJsonAsync(AdminJsonContext.Default.AdminError, cancellationToken).ConfigureAwait(false);
            }
            catch (System.Text.Json.JsonException)
            {
                // Not our error body: an older service, or something else on the socket.
            }

            throw error is null
                ? new CliFailure(ExitCodes.Failed, "internal_error",
                    $"The service answered HTTP {(int)response.StatusCode} without a reason; check that {socketPath} belongs to pihub and see `journalctl -u pihub`.")
                : new CliFailure(error.ExitCode, error.Error, error.Message);
        }
    }
}
