using System.Collections.Frozen;

namespace PiHub.Server.WebSockets;

/// <summary>
/// A command: who may run it, the handler, and whether it creates, lists or deletes credentials (tokens, passwords,
/// MFA, users, webhooks), which a connection authenticated without a token may not do; and whether it opens a
/// subscription, which counts against <see cref="WsSubscriptionLimits"/>.
/// </summary>
internal readonly record struct WsCommand(WsAccess Access, WsCommandHandler Handler, bool ManagesCredentials = false, bool Subscribes = false);

/// <summary>Collects the commands of every area while <see cref="WsCommands"/> builds its table.</summary>
internal sealed class WsCommandTable
{
    private readonly Dictionary<string, WsCommand> _commands = new(StringComparer.Ordinal);

    /// <summary>
    /// Adds a command; a type registered twice is a programming error and fails loudly. <paramref name="credentials"/>
    /// marks a command that creates, lists or deletes credentials; <paramref name="subscribes"/> one that opens a
    /// subscription (its handler calls <see cref="WsConnection.AddSubscription"/>).
    /// </summary>
    public WsCommandTable Add(string type, WsAccess access, WsCommandHandler handler, bool credentials = false, bool subscribes = false)
    {
        if (!_commands.TryAdd(type, new WsCommand(access, handler, credentials, subscribes)))
        {
            throw new InvalidOperationException($"WebSocket command \"{type}\" is registered twice.");
        }

        return this;
    }

    public FrozenDictionary<string, WsCommand> ToFrozen() => _commands.ToFrozenDictionary(StringComparer.Ordinal);
}
