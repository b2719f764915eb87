using PiHub.Server.Api;

namespace PiHub.Server.WebSockets;

/// <summary>
/// <c>render_template</c>: PiHub has no template engine. The command is known, so the client gets
/// Home Assistant's <c>template_error</c> with the reason and what to do instead, not <c>unknown_command</c>.
/// </summary>
internal static partial class WsCommands
{
    private static void AddTemplateCommands(Dictionary<string, (WsAccess, WsCommandHandler)> table)
    {
        table["render_template"] = (WsAccess.Read, static (c, id, _, _) => Reply(c, WsMessages.Error(id, "template_error", Templates.NotSupported)));
    }
}
