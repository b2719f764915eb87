using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Features;

namespace PiHub.Server.Auth;

/// <summary>
/// Reads auth request bodies — JSON objects and form posts — with a size cap and a clear 400/413
/// message for anything malformed, never an exception that becomes a 500.
/// </summary>
public static class AuthRequestReader
{
    /// <summary>
    /// Largest body the auth endpoints read: a login is a few hundred bytes; 8 KB leaves room for the longest password
    /// (1,024 UTF-8 bytes) even with every character escaped.
    /// </summary>
    public const int MaxBodyBytes = 8 * 1024;

    /// <summary>Deserialises a JSON body into <typeparamref name="T"/>; returns null with an error when it cannot.</summary>
    public static async Task<(T? Value, BodyError? Error)> ReadJsonAsync<T>(HttpContext context, JsonTypeInfo<T> typeInfo,
        string example, CancellationToken cancellationToken)
        where T : class
    {
        if (LimitBody(context) is { } tooLarge) return (null, tooLarge);
        if (context.Request.HasFormContentType)
        {
            return (null, new BodyError(StatusCodes.Status400BadRequest,
                $"This endpoint takes a JSON body (Content-Type: application/json), e.g. {example}."));
        }

        try
        {
            var value = await JsonSerializer.DeserializeAsync(context.Request.Body, typeInfo, cancellationToken);
            return value is null
                ? (null, new BodyError(StatusCodes.Status400BadRequest, $"Invalid JSON: send a JSON object, e.g. {example}."))
                : (value, null);
        }
        catch (JsonException ex)
        {
            return (null, new BodyError(StatusCodes.Status400BadRequest,
                $"Invalid JSON{Where(ex)}: send a JSON object, e.g. {example}."));
        }
        catch (BadHttpRequestException ex)
        {
            return (null, new BodyError(ex.StatusCode, BodyProblem(ex)));
        }
    }

    /// <summary>
    /// Reads string fields from a form post or a flat JSON object (PiHub accepts both on <c>/auth/token</c>
    /// and <c>/auth/revoke</c>; Home Assistant clients send forms).
    /// </summary>
    public static async Task<(IReadOnlyDictionary<string, string>? Fields, BodyError? Error)> ReadFieldsAsync(
        HttpContext context, CancellationToken cancellationToken)
    {
        if (LimitBody(context) is { } tooLarge) return (null, tooLarge);
        var request = context.Request;
        try
        {
            if (request.HasFormContentType)
            {
                var form = await request.ReadFormAsync(cancellationToken);
                return (form.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal), null);
            }

            if (request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true)
            {
                var (json, error) = await ReadJsonAsync(context, AuthJsonContext.Web.DictionaryStringJsonElement,
                    "{\"grant_type\":\"refresh_token\",\"refresh_token\":\"…\",\"client_id\":\"…\"}", cancellationToken);
                return error is not null ? (null, error) : ToStrings(json!);
            }
        }
        catch (InvalidDataException ex)
        {
            return (null, new BodyError(StatusCodes.Status400BadRequest, $"The form body is malformed ({ex.Message})."));
        }
        catch (BadHttpRequestException ex)
        {
            return (null, new BodyError(ex.StatusCode, BodyProblem(ex)));
        }

        return (null, new BodyError(StatusCodes.Status400BadRequest,
            "Send the parameters form-encoded (Content-Type: application/x-www-form-urlencoded), e.g. " +
            "grant_type=refresh_token&refresh_token=…&client_id=…"));
    }

    /// <summary>Turns a JSON object's string values into fields; other value types are refused by name.</summary>
    public static (IReadOnlyDictionary<string, string>? Fields, BodyError? Error) ToStrings(
        IReadOnlyDictionary<string, JsonElement> json)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in json)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    fields[key] = value.GetString()!;
                    break;
                case JsonValueKind.Null:
                    break;
                case JsonValueKind.Number:
                case JsonValueKind.True:
                case JsonValueKind.False:
                    fields[key] = value.GetRawText();
                    break;
                default:
                    return (null, new BodyError(StatusCodes.Status400BadRequest,
                        $"User input malformed: \"{key}\" must be a string, not {value.ValueKind.ToString().ToLowerInvariant()}."));
            }
        }

        return (fields, null);
    }

    private static BodyError? LimitBody(HttpContext context)
    {
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            return new BodyError(StatusCodes.Status413PayloadTooLarge,
                $"The request body is {context.Request.ContentLength} bytes; auth requests may be at most {MaxBodyBytes} bytes.");
        }

        var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false }) feature.MaxRequestBodySize = MaxBodyBytes;
        return null;
    }

    private static string BodyProblem(BadHttpRequestException ex) =>
        ex.StatusCode == StatusCodes.Status413PayloadTooLarge
            ? $"The request body is larger than {MaxBodyBytes} bytes, the most auth requests may send."
            : $"The request body could not be read ({ex.Message}).";

    private static string Where(JsonException ex) =>
        ex.Path is null ? "" : $" at {ex.Path} (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine})";
}
