using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using PiHub.Core.Hub;

namespace PiHub.Server.Webhooks;

/// <summary>
/// Turns a webhook body into the JSON of the event's <c>data</c> field: JSON as it is; form-urlencoded and
/// multipart/form-data as an object of fields (a field named <c>payload</c>, or a part typed JSON, is parsed as
/// JSON — Plex sends its event that way); file parts as <c>{filename, content_type, size}</c>, never their bytes;
/// other text as a string; an empty body as null.
/// </summary>
internal static class WebhookPayload
{
    /// <summary>Parts beyond this in a multipart body are refused: each costs parsing, and no sender needs more.</summary>
    public const int MaxParts = 64;

    private static readonly JsonDocumentOptions s_json = new() { MaxDepth = 64 };

    /// <summary>Writes the parsed body; throws <see cref="FormatException"/> with a message a sender can act on.</summary>
    public static async Task WriteAsync(Utf8JsonWriter writer, string? contentType, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        if (body.IsEmpty)
        {
            writer.WriteNullValue();
            return;
        }

        MediaTypeHeaderValue.TryParse(contentType, out var media);
        var type = media?.MediaType.Value?.ToLowerInvariant() ?? "";
        if (IsJson(type))
        {
            WriteJson(writer, body.Span, strict: true);
        }
        else if (type == "application/x-www-form-urlencoded")
        {
            using var reader = new FormReader(Encoding.UTF8.GetString(body.Span));
            var form = await reader.ReadFormAsync(cancellationToken).ConfigureAwait(false);
            writer.WriteStartObject();
            foreach (var (name, values) in form) WriteField(writer, name, values);
            writer.WriteEndObject();
        }
        else if (type == "multipart/form-data")
        {
            await WriteMultipartAsync(writer, media!, body, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            // No or another content type: JSON if it parses (many senders forget the header), else text.
            WriteJson(writer, body.Span, strict: false);
        }
    }

    private static bool IsJson(string type) => type == "application/json" || type.EndsWith("+json", StringComparison.Ordinal);

    private static void WriteJson(Utf8JsonWriter writer, ReadOnlySpan<byte> body, bool strict)
    {
        try
        {
            using var doc = JsonDocument.Parse(body.ToArray(), s_json);
            if (JsonText.FindInvalid(body, doc.RootElement) is { } path) throw new FormatException(JsonText.Describe(path));
            doc.RootElement.WriteTo(writer);
        }
        catch (JsonException) when (!strict)
        {
            writer.WriteStringValue(Encoding.UTF8.GetString(body));
        }
        catch (JsonException ex)
        {
            throw new FormatException($"Invalid JSON specified: {ex.Message} Send valid JSON, or another Content-Type.", ex);
        }
    }

    /// <summary>A field value: JSON when the field is named <c>payload</c> or typed JSON and parses, else the text.</summary>
    private static void WriteText(Utf8JsonWriter writer, string name, string text, bool typedJson)
    {
        if (typedJson || name == "payload")
        {
            try
            {
                using var doc = JsonDocument.Parse(text, s_json);
                if (JsonText.FindInvalid(doc.RootElement) is { } path) throw new FormatException(JsonText.Describe(JsonText.Within(name, path)));
                doc.RootElement.WriteTo(writer);
                return;
            }
            catch (JsonException)
            {
                // Not JSON after all: keep the text, nothing is lost.
            }
        }

        writer.WriteStringValue(text);
    }

    private static void WriteField(Utf8JsonWriter writer, string name, StringValues values)
    {
        writer.WritePropertyName(name);
        if (values.Count == 1)
        {
            WriteText(writer, name, values[0] ?? "", typedJson: false);
            return;
        }

        writer.WriteStartArray();
        foreach (var value in values) WriteText(writer, name, value ?? "", typedJson: false);
        writer.WriteEndArray();
    }

    private static async Task WriteMultipartAsync(Utf8JsonWriter writer, MediaTypeHeaderValue media, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var boundary = HeaderUtilities.RemoveQuotes(media.Boundary).Value;
        if (string.IsNullOrEmpty(boundary))
        {
            throw new FormatException("multipart/form-data without a boundary: send the Content-Type header with its boundary=… parameter.");
        }

        // Parts are collected first so that repeated names become arrays.
        var parts = new List<(string Name, Action<Utf8JsonWriter> Write)>();
        using var stream = new MemoryStream(body.ToArray(), writable: false);
        var reader = new MultipartReader(boundary, stream) { BodyLengthLimit = body.Length };
        try
        {
            while (await reader.ReadNextSectionAsync(cancellationToken).ConfigureAwait(false) is { } section)
            {
                if (parts.Count == MaxParts)
                {
                    throw new WebhookPayloadTooLargeException(
                        $"The multipart/form-data body has more than {MaxParts} parts, the most a webhook accepts; send fewer fields or files.");
                }

                ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition);
                var name = disposition is null ? null : HeaderUtilities.RemoveQuotes(disposition.Name).Value;
                name = string.IsNullOrEmpty(name) ? $"part{parts.Count}" : name;
                using var content = new MemoryStream();
                await section.Body.CopyToAsync(content, cancellationToken).ConfigureAwait(false);
                var fileName = disposition is null ? null : HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
                var partType = section.ContentType;
                if (!string.IsNullOrEmpty(fileName))
                {
                    var size = content.Length;
                    parts.Add((name, w =>
                    {
                        w.WriteStartObject();
                        w.WriteString("filename", fileName);
                        w.WriteString("content_type", partType);
                        w.WriteNumber("size", size);
                        w.WriteEndObject();
                    }));
                }
                else
                {
                    var text = Encoding.UTF8.GetString(content.GetBuffer(), 0, (int)content.Length);
                    MediaTypeHeaderValue.TryParse(partType, out var partMedia);
                    var typedJson = IsJson(partMedia?.MediaType.Value?.ToLowerInvariant() ?? "");
                    parts.Add((name, w => WriteText(w, name, text, typedJson)));
                }
            }
        }
        catch (IOException ex)
        {
            throw new FormatException($"The multipart/form-data body is malformed ({ex.Message}). Check the sender's boundary and part headers.", ex);
        }

        writer.WriteStartObject();
        foreach (var group in parts.GroupBy(p => p.Name, StringComparer.Ordinal))
        {
            writer.WritePropertyName(group.Key);
            var items = group.ToList();
            if (items.Count == 1)
            {
                items[0].Write(writer);
                continue;
            }

            writer.WriteStartArray();
            foreach (var item in items) item.Write(writer);
            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }
}

/// <summary>A webhook body with more parts than <see cref="WebhookPayload.MaxParts"/>: answered with 413.</summary>
internal sealed class WebhookPayloadTooLargeException(string message) : FormatException(message);
