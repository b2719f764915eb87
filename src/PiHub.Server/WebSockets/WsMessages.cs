using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using PiHub.Core.Hub;
using PiHub.Server.Endpoints;

namespace PiHub.Server.WebSockets;

/// <summary>
/// The WebSocket API's message shapes, written by hand: they wrap every message, events included.
/// Command results that are not on a hot path are DTOs (<see cref="Result{T}"/>).
/// </summary>
internal static class WsMessages
{
    public static byte[] AuthRequired() => Write(w =>
    {
        w.WriteString("type", "auth_required");
        w.WriteString("ha_version", HubWriter.CompatibleHaVersion);
    });

    public static byte[] AuthOk() => Write(w =>
    {
        w.WriteString("type", "auth_ok");
        w.WriteString("ha_version", HubWriter.CompatibleHaVersion);
    });

    public static byte[] AuthInvalid(string message) => Write(w =>
    {
        w.WriteString("type", "auth_invalid");
        w.WriteString("message", message);
    });

    public static byte[] Pong(int id) => Write(w =>
    {
        w.WriteNumber("id", id);
        w.WriteString("type", "pong");
    });

    /// <summary>A successful result; <paramref name="result"/> writes one JSON value (null when absent).</summary>
    public static byte[] Result(int id, Action<Utf8JsonWriter>? result = null) => Write(w =>
    {
        w.WriteNumber("id", id);
        w.WriteString("type", "result");
        w.WriteBoolean("success", true);
        w.WritePropertyName("result");
        if (result is null) w.WriteNullValue(); else result(w);
    });

    /// <summary>A successful result whose value is a source-generated DTO.</summary>
    public static byte[] Result<T>(int id, T value, JsonTypeInfo<T> type) =>
        Result(id, w => JsonSerializer.Serialize(w, value, type));

    /// <summary>A successful result whose value is already JSON.</summary>
    public static byte[] ResultRaw(int id, ReadOnlySpan<byte> json)
    {
        var prefix = Write(w =>
        {
            w.WriteNumber("id", id);
            w.WriteString("type", "result");
            w.WriteBoolean("success", true);
            w.WriteNull("result");
        });
        // Replace the trailing "null}" with the value: avoids copying big state lists twice.
        var head = prefix.AsSpan(0, prefix.Length - "null}".Length);
        var message = new byte[head.Length + json.Length + 1];
        head.CopyTo(message);
        json.CopyTo(message.AsSpan(head.Length));
        message[^1] = (byte)'}';
        return message;
    }

    /// <summary>
    /// An error result. When <paramref name="translated"/> carries Home Assistant's translation fields they are
    /// added (<c>translation_key</c>, <c>translation_placeholders</c>, <c>translation_domain</c>), as its
    /// <c>websocket_api.error_message</c> sends them: clients localise and match on the key.
    /// </summary>
    public static byte[] Error(int id, string code, string message, HubException? translated = null) => Write(w =>
    {
        w.WriteNumber("id", id);
        w.WriteString("type", "result");
        w.WriteBoolean("success", false);
        w.WriteStartObject("error");
        w.WriteString("code", code);
        w.WriteString("message", message);
        if (translated?.TranslationKey is { } key)
        {
            w.WriteString("translation_key", key);
            w.WriteStartObject("translation_placeholders");
            foreach (var (name, value) in translated.TranslationPlaceholders ?? new Dictionary<string, string>()) w.WriteString(name, value);
            w.WriteEndObject();
            w.WriteString("translation_domain", translated.TranslationDomain);
        }

        w.WriteEndObject();
    });

    public static void WriteContext(Utf8JsonWriter w, HubContext context)
    {
        w.WritePropertyName("context");
        HubJson.WriteContext(w, context);
    }

    private static byte[] Write(Action<Utf8JsonWriter> body) => HubJson.ToBytes(body, static (w, b) =>
    {
        w.WriteStartObject();
        b(w);
        w.WriteEndObject();
    });
}
