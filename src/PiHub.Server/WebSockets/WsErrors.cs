using System.Text.Json;
using PiHub.Core.Hub;

namespace PiHub.Server.WebSockets;

/// <summary>
/// A hub refusal as a WebSocket error result: the hub's code mapped to Home Assistant's, and the
/// translation fields (<c>translation_domain</c>, <c>translation_key</c>, <c>translation_placeholders</c>)
/// when the refusal has Home Assistant's, as its <c>websocket_api.error_message</c> sends them.
/// </summary>
internal static class WsErrors
{
    public static byte[] From(int id, HubException ex) => HubJson.ToBytes((id, ex), static (w, s) =>
    {
        var (id, ex) = s;
        w.WriteStartObject();
        w.WriteNumber("id", id);
        w.WriteString("type", "result");
        w.WriteBoolean("success", false);
        w.WriteStartObject("error");
        w.WriteString("code", Code(ex.Code));
        w.WriteString("message", ex.Message);
        if (ex.TranslationKey is not null)
        {
            w.WriteString("translation_key", ex.TranslationKey);
            w.WriteStartObject("translation_placeholders");
            foreach (var (key, value) in ex.TranslationPlaceholders ?? new Dictionary<string, string>()) w.WriteString(key, value);
            w.WriteEndObject();
            w.WriteString("translation_domain", ex.TranslationDomain);
        }

        w.WriteEndObject();
        w.WriteEndObject();
    });

    private static string Code(string hubCode) => hubCode switch
    {
        HubErrorCodes.NotFound or HubErrorCodes.ServiceNotFound => "not_found",
        HubErrorCodes.InvalidFormat or HubErrorCodes.InvalidEntityId or HubErrorCodes.InvalidState => "invalid_format",
        HubErrorCodes.ServiceValidationError => "service_validation_error",
        HubErrorCodes.Unauthorized => "unauthorized",
        _ => "home_assistant_error",
    };
}
