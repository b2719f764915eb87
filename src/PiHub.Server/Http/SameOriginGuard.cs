using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using PiHub.Configuration;

namespace PiHub.Server.Http;

/// <summary>
/// Stops web pages on other sites from acting on the hub through the owner's browser: a request that can change
/// something (any method but GET, HEAD and OPTIONS) or open a WebSocket is refused with 403 when its <c>Origin</c>
/// is another site's (or <c>Sec-Fetch-Site</c> says cross-site) and that site is not in
/// <c>http.cors_allowed_origins</c>; and, when it carries no <c>Authorization</c> header (logins, onboarding,
/// WebSocket handshakes), when its <c>Host</c> is a name the hub does not answer to, which is how a DNS-rebinding
/// page would reach it. It runs before the auth endpoints, so a refused request never counts towards a ban.
/// Requests without <c>Origin</c> (curl, Tasker, apps, scripts) and webhooks (called by other systems by design)
/// are not affected; neither is the admin socket.
/// </summary>
internal sealed class SameOriginGuard(RequestDelegate next, PiHubOptions options, ILogger<SameOriginGuard> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (!NeedsCheck(context)) return next(context);
        var request = context.Request;
        var origin = request.Headers.Origin.ToString();
        var allowed = options.Http.CorsAllowedOrigins;
        if (origin.Length > 0 ? !HttpOrigins.IsAllowedOrigin(origin, request.Host, allowed) : IsCrossSite(request))
        {
            var who = origin.Length > 0 ? origin : "another site";
            logger.LogWarning("Refused a cross-site {Method} {Path} from {Client}: Origin {Origin}", request.Method, request.Path, ClientAddress.Of(context), who);
            return Refuse(context, ApiErrorCodes.CrossOrigin,
                $"Refused a request made by the web page at {who}: pages on other sites may not log in to the hub or change anything on it " +
                $"through your browser. If that page is yours, add its origin to http.cors_allowed_origins in {ConfigFile} and restart PiHub.");
        }

        if (!request.Headers.ContainsKey("Authorization") && !HttpOrigins.IsAllowedHost(request.Host, options.Http.AllowedHosts))
        {
            logger.LogWarning("Refused {Method} {Path} from {Client} under the host name {Host}", request.Method, request.Path, ClientAddress.Of(context), request.Host.Host);
            return Refuse(context, ApiErrorCodes.HostNotAllowed,
                $"The hub does not accept logins or changes under the name \"{request.Host.Host}\" (a defence against DNS rebinding). " +
                $"Use its address or its .local name, or, if you reach it under this name on purpose, add it to http.allowed_hosts in {ConfigFile} and restart PiHub.");
        }

        return next(context);
    }

    private string ConfigFile => options.Source == "embedded defaults" ? "a pihub.yaml (start the hub with --config <file>)" : options.Source;

    private static bool NeedsCheck(HttpContext context)
    {
        // The admin socket (a Unix socket, no IP address) has its own peer-credential check.
        if (context.Connection.RemoteIpAddress is null) return false;
        if (context.Request.Path.StartsWithSegments("/api/webhook", StringComparison.OrdinalIgnoreCase)) return false;
        // WebSocket handshakes are GETs that change state (a connection that may log in); HTTP/2's are CONNECTs.
        return !(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) || HttpMethods.IsOptions(context.Request.Method))
               || context.Request.Headers.Upgrade.ToString().Contains("websocket", StringComparison.OrdinalIgnoreCase);
    }

    private static bool IsCrossSite(HttpRequest request) =>
        string.Equals(request.Headers["Sec-Fetch-Site"].ToString(), "cross-site", StringComparison.OrdinalIgnoreCase);

    private static Task Refuse(HttpContext context, string code, string message) =>
        ApiResults.Error(StatusCodes.Status403Forbidden, code, message).ExecuteAsync(context);
}
