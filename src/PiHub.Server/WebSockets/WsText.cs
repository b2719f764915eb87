using System.Text.Json;

namespace PiHub.Server.WebSockets;

/// <summary>Wording shared by the connection's messages and close reasons.</summary>
internal static class WsText
{
    /// <summary>A JSON kind as a sentence names it ("a number").</summary>
    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "true or false",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        _ => kind.ToString().ToLowerInvariant(),
    };

    /// <summary>Close reasons are limited to 123 bytes by the protocol.</summary>
    public static string Trim(string reason)
    {
        while (System.Text.Encoding.UTF8.GetByteCount(reason) > 123) reason = reason[..^4] + "…";
        return reason;
    }
}
