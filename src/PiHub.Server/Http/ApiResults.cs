using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace PiHub.Server.Http;

/// <summary>Home Assistant's REST answers: JSON bodies, errors as <c>{"message": "…"}</c>.</summary>
internal static class ApiResults
{
    public static IResult Json(ReadOnlyMemory<byte> utf8Json, int status = StatusCodes.Status200OK) =>
        new JsonBytesResult(utf8Json, status);

    public static IResult Json(Action<Utf8JsonWriter> write, int status = StatusCodes.Status200OK) =>
        new JsonBytesResult(Core.Hub.HubJson.ToBytes(write, static (w, f) => f(w)), status);

    /// <summary><c>{"message": text}</c> with the given status.</summary>
    public static IResult Message(string text, int status = StatusCodes.Status200OK) =>
        Json(w =>
        {
            w.WriteStartObject();
            w.WriteString("message", text);
            w.WriteEndObject();
        }, status);

    public static IResult BadRequest(string text) => Message(text, StatusCodes.Status400BadRequest);

    public static IResult NotFound(string text) => Message(text, StatusCodes.Status404NotFound);

    public static IResult Forbidden(string text) => Message(text, StatusCodes.Status403Forbidden);

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
