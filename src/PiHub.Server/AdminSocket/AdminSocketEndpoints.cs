using System.Text.Json;
using Microsoft.AspNetCore.Connections.Features;
using PiHub.Core.Admin;

namespace PiHub.Server.AdminSocket;

/// <summary>
/// The admin socket's one route, <c>POST /admin/v1/{command}</c>: the peer's credentials are checked, then the
/// <see cref="AdminRequest"/> in the body runs through <see cref="HubAdmin"/>. Mapped only on the admin socket's
/// own server, so the same path over TCP is a plain 404.
/// </summary>
internal static class AdminSocketEndpoints
{
    /// <summary>The route prefix; the CLI posts to <c>{Prefix}/{command}</c>.</summary>
    public const string Prefix = "/admin/v1";

    public static IEndpointRouteBuilder MapAdminSocketEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost(Prefix + "/{command}", HandleAsync);
        return app;
    }

    private static async Task HandleAsync(HttpContext context, string command, HubAdmin admin, AdminAccessPolicy policy,
        AdminSocketLog log, CancellationToken cancellationToken)
    {
        var logger = log.Logger;
        var socket = context.Features.Get<IConnectionSocketFeature>()?.Socket;
        var peer = socket is null ? null : PeerCredentials.Read(socket);
        if (peer is null || !policy.Allows(peer))
        {
            logger.LogWarning("Admin socket: refused {Command} from uid {Uid} (pid {Pid})", command, peer?.Uid, peer?.Pid);
            await WriteErrorAsync(context, StatusCodes.Status403Forbidden,
                new AdminError(AdminException.NotPermittedCode, policy.Refusal(peer), (int)AdminFailure.NotPermitted), cancellationToken).ConfigureAwait(false);
            return;
        }

        AdminRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync(context.Request.Body, AdminJsonContext.Default.AdminRequest, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest,
                new AdminError(AdminException.InvalidRequestCode, $"The request is not an admin request ({ex.Message}); use pihub-cli.", (int)AdminFailure.Usage), cancellationToken).ConfigureAwait(false);
            return;
        }

        // The route names the operation; a body's own command (if any) does not override it.
        request = (request ?? new AdminRequest { Command = command }) with { Command = command };
        logger.LogInformation("pihub-cli {Command} by uid {Uid} (pid {Pid})", command, peer.Uid, peer.Pid);
        try
        {
            var result = await admin.ExecuteAsync(request, cancellationToken).ConfigureAwait(false);
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/json";
            await JsonSerializer.SerializeAsync(context.Response.Body, result, AdminJsonContext.Default.AdminResult, cancellationToken).ConfigureAwait(false);
        }
        catch (AdminException ex)
        {
            logger.LogWarning("pihub-cli {Command} failed: {Code}: {Message}", command, ex.Code, ex.Message);
            var status = ex.Failure switch
            {
                AdminFailure.Usage => StatusCodes.Status400BadRequest,
                AdminFailure.NotPermitted => StatusCodes.Status403Forbidden,
                AdminFailure.Unavailable => StatusCodes.Status503ServiceUnavailable,
                _ => StatusCodes.Status409Conflict,
            };
            await WriteErrorAsync(context, status, new AdminError(ex.Code, ex.Message, (int)ex.Failure), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A bug or an I/O failure: the CLI still gets one sentence, the journal gets the details.
            logger.LogError(ex, "pihub-cli {Command} failed unexpectedly", command);
            await WriteErrorAsync(context, StatusCodes.Status500InternalServerError,
                new AdminError("internal_error", $"The service failed to run {command} ({ex.Message}); see `journalctl -u pihub` for details.", (int)AdminFailure.Failed),
                cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task WriteErrorAsync(HttpContext context, int status, AdminError error, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, error, AdminJsonContext.Default.AdminError, cancellationToken).ConfigureAwait(false);
    }
}
