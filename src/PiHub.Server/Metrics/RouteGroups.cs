using Microsoft.AspNetCore.Http;
using PiHub.Server.Dashboard;

namespace PiHub.Server.Metrics;

/// <summary>
/// The fixed set of route groups HTTP metrics are labelled with. Raw paths never become labels: entity ids and
/// webhook ids in paths would give every one its own series and let any client grow the hub's memory.
/// </summary>
internal static class RouteGroups
{
    public const string Api = "api";
    public const string Auth = "auth";
    public const string WebSocket = "websocket";
    public const string Webhook = "webhook";
    public const string Dashboard = "dashboard";
    public const string Other = "other";

    /// <summary>The group of a request, from its path (and method, for the dashboard's pages).</summary>
    public static string Of(HttpRequest request)
    {
        var path = request.Path;
        if (DashboardEndpoints.IsStaticRequest(request)) return Dashboard;
        if (path.StartsWithSegments("/api/websocket", StringComparison.OrdinalIgnoreCase)) return WebSocket;
        if (path.StartsWithSegments("/api/webhook", StringComparison.OrdinalIgnoreCase)) return Webhook;
        if (path.StartsWithSegments("/auth", StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments("/api/onboarding", StringComparison.OrdinalIgnoreCase)) return Auth;
        if (path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)) return Api;
        return Other;
    }
}
