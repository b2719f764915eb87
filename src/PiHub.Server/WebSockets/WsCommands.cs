using System.Collections.Frozen;
using System.Text.Json;
using PiHub.Core.Auth;
using PiHub.Core.Hub;
using PiHub.Server.Auth;
using PiHub.Server.Http;
using PiHub.Server.WebSockets.Commands;
using PiHub.Server.History;
using PiHub.Server.Registries;
using PiHub.Server.Users;
using PiHub.Server.Webhooks;

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

/// <summary>
/// The command table of the WebSocket API and its dispatcher. Each area registers its commands from a
/// class of its own in <c>Commands/</c>; a new area is a new class there and one line in <see cref="Build"/>.
/// Handlers throw <see cref="HubException"/> or <see cref="AuthException"/> to refuse: the dispatcher turns
/// both into the error result with the shared <see cref="ApiErrorCodes"/>.
/// </summary>
internal static class WsCommands
{
    private static readonly FrozenDictionary<string, WsCommand> s_commands = Build();

    private static FrozenDictionary<string, WsCommand> Build()
    {
        var table = new WsCommandTable();
        HubCommands.Register(table);
        AuthCommands.Register(table);
        UserCommands.Register(table);
        BanCommands.Register(table);
        WebhookCommands.Register(table);
        MfaCommands.Register(table);
        RegistryCommands.Register(table);
        TemplateCommands.Register(table);
        HistoryCommands.Register(table);
        return table.ToFrozen();
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
            connection.PostError(badId, ApiErrorCodes.InvalidFormat, "Message incorrectly formatted: every message needs an integer \"id\" and a string \"type\".");
            return;
        }

        if (!connection.AcceptId(id)) return;

        // Every command runs as the user is now, not as they were when the socket connected.
        if (!connection.RefreshPrincipal()) return;
        var type = typeElement.GetString()!;
        if (type == "ping")
        {
            connection.Post(WsMessages.Pong(id));
            return;
        }

        if (!s_commands.TryGetValue(type, out var command))
        {
            connection.PostError(id, ApiErrorCodes.UnknownCommand, $"Unknown command \"{type}\".");
            return;
        }

        var principal = connection.Principal!;
        if ((command.Access == WsAccess.Admin && !principal.IsAdmin) || (command.Access == WsAccess.Write && principal.IsReadOnly))
        {
            var need = command.Access == WsAccess.Admin ? "an administrator" : "a user that is not read-only";
            connection.PostError(id, ApiErrorCodes.Unauthorized, $"{type} needs {need}; {principal.User.Name} is not.");
            return;
        }

        if (command.ManagesCredentials && principal.Method == ApiPrincipal.TrustedNetworkMethod)
        {
            // The connection proved only its address: it may use the hub, not mint or change what proves identity.
            connection.PostError(id, ApiErrorCodes.Unauthorized,
                $"{type} manages credentials (tokens, passwords, MFA, users, webhooks), and this connection was authenticated without a " +
                $"token, by its trusted network, as {principal.User.Name}. Log in with your username and password, then connect with that access token.");
            return;
        }

        if (command.Subscribes && connection.Registry.Subscriptions.Refuse(connection) is { } tooMany)
        {
            connection.PostError(id, ApiErrorCodes.TooManySubscriptions, tooMany);
            return;
        }

        try
        {
            await command.Handler(connection, id, message, cancellationToken).ConfigureAwait(false);
        }
        catch (HubException ex)
        {
            connection.Post(WsMessages.Error(id, ApiErrorCodes.FromHub(ex.Code), ex.Message, ex));
        }
        catch (AuthException ex) when (PowerFailing.Is(ex))
        {
            // The auth store's refusal arrives wrapped; say what the hub store says for the same cause.
            connection.PostError(id, ApiErrorCodes.PowerFailing, Core.Power.WriteGate.Message);
        }
        catch (AuthException ex)
        {
            connection.PostError(id, ApiErrorCodes.FromAuth(ex.Code), ex.Message);
        }
    }
}
