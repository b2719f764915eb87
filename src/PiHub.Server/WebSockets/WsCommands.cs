using System.Text.Json;
using PiHub.Core.Hub;

namespace PiHub.Server.WebSockets;

/// <summary>Runs one command; <c>id</c> is already checked.</summary>
internal delegate ValueTask WsCommandHandler(WsConnection connection, int id, JsonElement message, CancellationToken cancellationToken);

/// <summary>What a command needs from its caller.</summary>
internal enum WsAccess
{
    /// <summary>Any authenticated user, read-only included.</summary>
    Read,

    /// <summary>Users that may change things (not read-only).</summary>
    Write,

    /// <summary>Administrators (and the owner).</summary>
    Admin,
}

/// <summary>The command table of the WebSocket API, filled by the partial files per area.</summary>
internal static partial class WsCommands
{
    private static readonly Dictionary<string, (WsAccess Access, WsCommandHandler Handler)> s_commands = Build();

    private static Dictionary<string, (WsAccess, WsCommandHandler)> Build()
    {
        var table = new Dictionary<string, (WsAccess, WsCommandHandler)>(StringComparer.Ordinal);
        AddHubCommands(table);
        AddAuthCommands(table);
        AddUserCommands(table);
        AddBanCommands(table);
        AddWebhookCommands(table);
        AddMfaCommands(table);
        return table;
    }

    public static IEnumerable<string> Names => s_commands.Keys;

    /// <summary>Who may run a command (for tests that check every command's permission).</summary>
    public static WsAccess AccessOf(string type) => s_commands[type].Access;

    public static async ValueTask DispatchAsync(WsConnection connection, JsonElement message, CancellationToken cancellationToken)
    {
        if (message.ValueKind != JsonValueKind.Object
            || !message.TryGetProperty("id", out var idElement) || !idElement.TryGetInt32(out var id)
            || !message.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
        {
            var badId = message.ValueKind == JsonValueKind.Object && message.TryGetProperty("id", out var i) && i.TryGetInt32(out var n) ? n : 0;
            connection.Post(WsMessages.Error(badId, "invalid_format", "Message incorrectly formatted: every message needs an integer \"id\" and a string \"type\"."));
            return;
        }

        if (!connection.AcceptId(id)) return;
        var type = typeElement.GetString()!;
        if (type == "ping")
        {
            connection.Post(WsMessages.Pong(id));
            return;
        }

        if (!s_commands.TryGetValue(type, out var command))
        {
            connection.Post(WsMessages.Error(id, "unknown_command", $"Unknown command \"{type}\"."));
            return;
        }

        var principal = connection.Principal!;
        if ((command.Access == WsAccess.Admin && !principal.IsAdmin) || (command.Access == WsAccess.Write && principal.IsReadOnly))
        {
            var need = command.Access == WsAccess.Admin ? "an administrator" : "a user that is not read-only";
            connection.Post(WsMessages.Error(id, "unauthorized", $"{type} needs {need}; {principal.User.Name} is not."));
            return;
        }

        try
        {
            await command.Handler(connection, id, message, cancellationToken).ConfigureAwait(false);
        }
        catch (HubException ex)
        {
            connection.Post(WsMessages.Error(id, ErrorCode(ex.Code), ex.Message));
        }
    }

    private static string ErrorCode(string hubCode) => hubCode switch
    {
        HubErrorCodes.NotFound or HubErrorCodes.ServiceNotFound => "not_found",
        HubErrorCodes.InvalidFormat or HubErrorCodes.InvalidEntityId or HubErrorCodes.InvalidState => "invalid_format",
        HubErrorCodes.ServiceValidationError => "service_validation_error",
        HubErrorCodes.Unauthorized => "unauthorized",
        Core.Power.WriteGate.Code => Core.Power.WriteGate.Code,
        _ => "home_assistant_error",
    };

    /// <summary>A required string field, or an invalid_format refusal naming it.</summary>
    public static string RequireString(JsonElement message, string name) =>
        message.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()!
            : throw Format($"Field \"{name}\" is required and must be a string.");

    public static string? OptionalString(JsonElement message, string name)
    {
        if (!message.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        return v.ValueKind == JsonValueKind.String ? v.GetString() : throw Format($"Field \"{name}\" must be a string.");
    }

    private static HubException Format(string message) => new(HubErrorCodes.InvalidFormat, message);

    public static int RequireInt(JsonElement message, string name) =>
        message.TryGetProperty(name, out var v) && v.TryGetInt32(out var n)
            ? n
            : throw Format($"Field \"{name}\" is required and must be a whole number.");
}
