using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using PiHub.Core.Hub;

namespace PiHub.Server.Http;

/// <summary>
/// Reads a JSON request body with a size limit. Failures come back as a ready answer that
/// says what was wrong, never as an exception that would turn into a 500.
/// </summary>
internal static class RequestJson
{
    /// <summary>Parses the body; an empty body gives <paramref name="emptyAs"/> (or an error when null).</summary>
    public static async Task<(JsonDocument? Document, IResult? Error)> ReadAsync(
        HttpContext context, int maxBytes, string? emptyAs, CancellationToken cancellationToken)
    {
        if (context.Request.ContentLength > maxBytes)
        {
            // Read the body away (Kestrel caps it) so the client, still sending, gets this answer
            // instead of a reset connection.
            await context.Request.Body.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
            return (null, TooLarge(maxBytes));
        }

        var buffer = new ArrayBufferWriter<byte>(4096);
        var body = context.Request.Body;
        while (true)
        {
            var memory = buffer.GetMemory(8192);
            var read = await body.ReadAsync(memory, cancellationToken).ConfigureAwait(false);
            if (read == 0) break;
            buffer.Advance(read);
            if (buffer.WrittenCount > maxBytes) return (null, TooLarge(maxBytes));
        }

        if (buffer.WrittenCount == 0 || buffer.WrittenSpan.Trim(" \t\r\n"u8).IsEmpty)
        {
            if (emptyAs is null) return (null, ApiResults.BadRequest("The request body is empty; send a JSON object."));
            return (JsonDocument.Parse(emptyAs), null);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(buffer.WrittenMemory, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException ex)
        {
            return (null, ApiResults.BadRequest($"Invalid JSON specified. {ex.Message}"));
        }

        // Refused here, a bad string never reaches the state machine or the event bus.
        if (JsonText.FindInvalid(buffer.WrittenSpan, document.RootElement) is { } path)
        {
            document.Dispose();
            return (null, ApiResults.BadRequest(JsonText.Describe(path)));
        }

        return (document, null);
    }

    private static IResult TooLarge(int maxBytes) =>
        ApiResults.TooLarge($"The request body is larger than {maxBytes / 1024} KiB, the hub's limit (http.max_body_bytes).");
}
