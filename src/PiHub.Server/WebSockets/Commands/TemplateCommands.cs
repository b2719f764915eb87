using PiHub.Server.Endpoints;
using PiHub.Server.Http;

namespace PiHub.Server.WebSockets.Commands;

/// <summary>
/// <c>render_template</c>: PiHub has no template engine. The command is known, so the client gets
/// Home Assistant's <c>template_error</c> with the reason and what to do instead, not <c>unknown_command</c>.
/// </summary>
internal static class TemplateCommands
{
    public static void Register(WsCommandTable table) => table
        .Add("render_template", WsAccess.Read, static (c, id, _, _) =>
        {
            c.PostError(id, ApiErrorCodes.TemplateError, Templates.NotSupported);
            return ValueTask.CompletedTask;
        });
}
