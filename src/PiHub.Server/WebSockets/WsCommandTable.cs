using System.Collections.Frozen;

namespace PiHub.Server.WebSockets;

/// <summary>A command: who may run it, and the handler.</summary>
internal readonly record struct WsCommand(WsAccess Access, WsCommandHandler Handler);

/// <summary>Collects the commands of every area while <see cref="WsCommands"/> builds its table.</summary>
internal sealed class WsCommandTable
{
    private readonly Dictionary<string, WsCommand> _commands = new(StringComparer.Ordinal);

    /// <summary>Adds a command; a type registered twice is a programming error and fails loudly.</summary>
    public WsCommandTable Add(string type, WsAccess access, WsCommandHandler handler)
    {
        if (!_commands.TryAdd(type, new WsCommand(access, handler)))
        {
            throw new InvalidOperationException($"WebSocket command \"{type}\" is registered twice.");
        }

        return this;
    }

    public FrozenDictionary<string, WsCommand> ToFrozen() => _commands.ToFrozenDictionary(StringComparer.Ordinal);
}
