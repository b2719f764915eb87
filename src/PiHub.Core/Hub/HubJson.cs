using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace PiHub.Core.Hub;

/// <summary>Home Assistant's JSON conventions, written by hand so hot paths serialize once and allocate little.</summary>
public static class HubJson
{
    /// <summary>An empty JSON object, for states without attributes.</summary>
    public static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    /// <summary>ISO-8601 with microseconds and offset, e.g. <c>2026-11-26T18:00:00.123456+00:00</c>.</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture);

    public static void WriteContext(Utf8JsonWriter writer, HubContext context)
    {
        writer.WriteStartObject();
        writer.WriteString("id", context.Id);
        writer.WriteString("parent_id", context.ParentId);
        writer.WriteString("user_id", context.UserId);
        writer.WriteEndObject();
    }

    /// <summary>
    /// Text as Home Assistant writes it: <c>+00:00</c>, <c>°C</c>, <c>Küche</c> and a message's backticks as they are,
    /// not as <c>\u002B</c> escapes (which also made each state 15 bytes longer). Quotes, backslashes and control
    /// characters are still escaped, so the JSON is the same once parsed. The bytes only ever go out as JSON (REST
    /// answers, WebSocket frames), never into an HTML page, where &lt; and &amp; would need escaping.
    /// </summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Serializes with a pooled buffer and returns the exact bytes.</summary>
    public static byte[] ToBytes<T>(T value, Action<Utf8JsonWriter, T> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer, value);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
