using System.Text.Json;
using System.Text.Unicode;

namespace PiHub.Core.Hub;

/// <summary>
/// Finds text that JSON can carry but the hub cannot write back out: bytes that are not UTF-8, and escaped lone
/// UTF-16 surrogates such as <c>\ud800</c>. Stored, such a value would make every later answer that includes it
/// fail for every client, so each way in (REST, WebSocket, webhooks) refuses the whole message first.
/// </summary>
public static class JsonText
{
    private const string WholeMessage = "(the whole message)";

    /// <summary>
    /// Null when every string and property name in <paramref name="root"/> (parsed from <paramref name="utf8Json"/>)
    /// is valid Unicode; otherwise the path of the first that is not, such as <c>attributes.a</c> or
    /// <c>entity_id[2]</c> (<c>(the whole message)</c> when the top level itself is the bad string).
    /// </summary>
    public static string? FindInvalid(ReadOnlySpan<byte> utf8Json, JsonElement root)
    {
        // Nearly every message is valid UTF-8 without escaped surrogates: two vectorised scans settle it.
        if (Utf8.IsValid(utf8Json) && !HasEscapedSurrogate(utf8Json)) return null;
        return Walk(root, "");
    }

    /// <summary>As <see cref="FindInvalid(ReadOnlySpan{byte}, JsonElement)"/>, for a document parsed from a string.</summary>
    public static string? FindInvalid(JsonElement root) => Walk(root, "");

    /// <summary>
    /// The path of <paramref name="path"/> (from <see cref="FindInvalid(JsonElement)"/>) inside the field <paramref name="field"/>
    /// that held the document: <c>payload.door</c>, or just <c>payload</c> when the whole document was the bad string.
    /// </summary>
    public static string Within(string field, string path) => path switch
    {
        WholeMessage => field,
        _ when path.StartsWith('(') => $"{field} {path}",
        _ => $"{field}.{path}",
    };

    /// <summary>A sentence for the client: which field, what is wrong, that nothing was stored, what to send instead.</summary>
    public static string Describe(string path) =>
        $"The text in \"{path}\" is not valid Unicode (bytes that are not UTF-8, or a lone surrogate escape such as \\ud800); " +
        "nothing was stored. Send the value as valid UTF-8 text.";

    /// <summary>True when <paramref name="text"/> holds a high surrogate without its low half, or a low one alone.</summary>
    public static bool HasLoneSurrogate(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (!char.IsSurrogate(c)) continue;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            return true;
        }

        return false;
    }

    private static bool HasEscapedSurrogate(ReadOnlySpan<byte> json)
    {
        var rest = json;
        while (true)
        {
            var at = rest.IndexOf("\\u"u8);
            if (at < 0 || at + 3 >= rest.Length) return false;
            // \uD800–\uDFFF: 'd' or 'D', then 8–9 or a–f.
            var first = rest[at + 2] | 0x20;
            var second = rest[at + 3] | 0x20;
            if (first == 'd' && (second is >= (byte)'8' and <= (byte)'9' || second is >= (byte)'a' and <= (byte)'f')) return true;
            rest = rest[(at + 2)..];
        }
    }

    private static string? Walk(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return IsValid(element) ? null : Name(path);
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (Walk(item, $"{path}[{index++}]") is { } found) return found;
                }

                return null;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = property.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        return path.Length == 0 ? "(a property name)" : $"{path} (a property name)";
                    }

                    var child = path.Length == 0 ? name : $"{path}.{name}";
                    if (HasLoneSurrogate(name)) return path.Length == 0 ? "(a property name)" : $"{path} (a property name)";
                    if (Walk(property.Value, child) is { } found) return found;
                }

                return null;
            default:
                return null;
        }
    }

    private static bool IsValid(JsonElement text)
    {
        try
        {
            return !HasLoneSurrogate(text.GetString());
        }
        catch (InvalidOperationException)
        {
            // System.Text.Json refuses to decode invalid UTF-8 and some surrogate escapes.
            return false;
        }
    }

    private static string Name(string path) => path.Length == 0 ? WholeMessage : path;
}
