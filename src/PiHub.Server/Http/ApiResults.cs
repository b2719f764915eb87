using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace PiHub.Server.Http;

/// <summary>
/// Home Assistant's REST answers: JSON bodies; errors as <see cref="MessageResponse"/>
/// <c>{"message", "code"}</c> with a sentence that says what to do next.
/// </summary>
internal static class ApiResults
{
    public static IResult Json(ReadOnlyMemory<byte> utf8Json, int status = StatusCodes.Status200OK) =>
        new JsonBytesResult(utf8Json, status);

    public static IResult Json(Action<Utf8JsonWriter> write, int status = StatusCodes.Status200OK) =>
        new JsonBytesResult(Core.Hub.HubJson.ToBytes(write, static (w, f) => f(w)), status);

    /// <summary>A success answer <c>{"message": text}</c> (e.g. "API running.").</summary>
    public static JsonHttpResult<MessageResponse> Message(string text) =>
        TypedResults.Json(new MessageResponse(text), HttpJsonContext.Web.MessageResponse);

    /// <summary>An error: <c>{"message", "code"}</c> with the given status.</summary>
    public static JsonHttpResult<MessageResponse> Error(int status, string code, string message) =>
        TypedResults.Json(new MessageResponse(message, code), HttpJsonContext.Web.MessageResponse, statusCode: status);

    /// <summary>400; <c>invalid_format</c> unless a more precise code applies.</summary>
    public static JsonHttpResult<MessageResponse> BadRequest(string message, string code = ApiErrorCodes.InvalidFormat) =>
        Error(StatusCodes.Status400BadRequest, code, message);

    /// <summary>401 <c>unauthorized</c>: no valid credentials.</summary>
    public static JsonHttpResult<MessageResponse> Unauthorized(string message) =>
        Error(StatusCodes.Status401Unauthorized, ApiErrorCodes.Unauthorized, message);

    /// <summary>403 <c>unauthorized</c>: the user or address lacks the right (as the WebSocket API says it).</summary>
    public static JsonHttpResult<MessageResponse> Forbidden(string message) =>
        Error(StatusCodes.Status403Forbidden, ApiErrorCodes.Unauthorized, message);

    /// <summary>404 <c>not_found</c>.</summary>
    public static JsonHttpResult<MessageResponse> NotFound(string message) =>
        Error(StatusCodes.Status404NotFound, ApiErrorCodes.NotFound, message);

    /// <summary>413 <c>payload_too_large</c>.</summary>
    public static JsonHttpResult<MessageResponse> TooLarge(string message) =>
        Error(StatusCodes.Status413PayloadTooLarge, ApiErrorCodes.PayloadTooLarge, message);

    /// <summary>429 <c>too_many_requests</c>; the caller sets <c>Retry-After</c>.</summary>
    public static JsonHttpResult<MessageResponse> TooManyRequests(string message) =>
        Error(StatusCodes.Status429TooManyRequests, ApiErrorCodes.TooManyRequests, message);

    private sealed class JsonBytesResult(ReadOnlyMemory<byte> body, int status) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.ContentType = "application/json";
            httpContext.Response.ContentLength = body.Length;
            return httpContext.Response.Body.WriteAsync(body).AsTask();
        }
    }
}
