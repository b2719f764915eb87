namespace PiHub.Server.Endpoints;

/// <summary>What PiHub answers to template rendering, over REST (<c>POST /api/template</c>) and WebSocket (<c>render_template</c>).</summary>
internal static class Templates
{
    /// <summary>The reason and what to do instead; clients such as Node-RED's template node show it.</summary>
    public const string NotSupported =
        "PiHub does not render templates (Home Assistant's Jinja2 engine is not part of it). Read the states you need with get_states, " +
        "subscribe_entities or GET /api/states/<entity_id> and build the text in your client (in Node-RED: a current-state or get-entities node, then a template or function node).";
}
