using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace PiHub.Server.Http;

/// <summary>
/// Gives every REST error a <c>{"message", "code"}</c> body, also those no endpoint wrote: an unknown
/// route (404), a known route with the wrong method (405, with <c>Allow</c>), a request Kestrel could
/// not read, and an unhandled exception (500, logged). Answers that already have a body pass unchanged.
/// </summary>
internal sealed class ErrorBodyMiddleware(RequestDelegate next, ILogger<ErrorBodyMiddleware> logger)
{
    /// <summary>Paths are quoted back in messages; a longer one is cut, so a message stays readable.</summary>
    private const int MaxQuotedPath = 200;

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            // Kestrel would answer this status with an empty body (e.g. a body over its own limit).
            context.Response.Clear();
            context.Response.StatusCode = ex.StatusCode;
        }
        catch (Exception ex) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            logger.LogError(ex, "Unhandled error answering {Method} {Path}", context.Request.Method, context.Request.Path);
            context.Response.Clear();
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
        }

        var response = context.Response;
        if (response.StatusCode < 400 || response.HasStarted || response.ContentLength is not null || !string.IsNullOrEmpty(response.ContentType))
        {
            return;
        }

        await Describe(context).ExecuteAsync(context).ConfigureAwait(false);
    }

    /// <summary>The body for an error status that came without one.</summary>
    internal static IResult Describe(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        if (path.Length > MaxQuotedPath) path = path[..MaxQuotedPath] + "…";
        var what = $"{request.Method} {path}";
        var status = context.Response.StatusCode;
        return status switch
        {
            StatusCodes.Status404NotFound => ApiResults.NotFound(
                $"No route {what}. The API lives under /api/ and /auth/; GET /api/ with an access token checks it is running."),
            StatusCodes.Status405MethodNotAllowed => ApiResults.Error(status, ApiErrorCodes.MethodNotAllowed,
                context.Response.Headers.Allow is { Count: > 0 } allow
                    ? $"{request.Method} is not allowed on {path}; it takes {string.Join(", ", allow.ToArray())}."
                    : $"{request.Method} is not allowed on {path}."),
            StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden => ApiResults.Error(status, ApiErrorCodes.Unauthorized,
                $"{what} needs an access token of a user allowed to do this: send \"Authorization: Bearer <token>\"."),
            StatusCodes.Status413PayloadTooLarge => ApiResults.TooLarge(
                "The request body is larger than the hub accepts (http.max_body_bytes in pihub.yaml); send less."),
            StatusCodes.Status429TooManyRequests => ApiResults.TooManyRequests("Too many requests at once; wait a second and try again."),
            >= 500 => ApiResults.Error(status, ApiErrorCodes.UnknownError,
                $"The hub failed to answer {what}; the journal has the details (journalctl -u pihub). Try again, and report it if it repeats."),
            _ => ApiResults.Error(status, ApiErrorCodes.InvalidFormat,
                $"{what} was refused: {ReasonPhrases.GetReasonPhrase(status)}. Check the request's headers and body."),
        };
    }
}
