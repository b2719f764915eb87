using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using PiHub.Configuration;
using PiHub.Core.Auth;
using PiHub.Server.Auth;

namespace PiHub.Server.Http;

/// <summary>
/// Stops web pages on other sites from acting on the hub through the owner's browser, in two checks.
/// <list type="bullet">
/// <item>Origin: a request that can change something (any method but GET, HEAD and OPTIONS) or open a WebSocket is
/// refused with 403 when its <c>Origin</c> is another site's (or <c>Sec-Fetch-Site</c> says cross-site) and that site
/// is not in <c>http.cors_allowed_origins</c>.</item>
/// <item>Host: any request, GETs included, that a valid bearer token does not authenticate is refused with 403 when its
/// <c>Host</c> is a name the hub does not answer to, which is how a DNS-rebinding page reaches it: such a page is
/// same-origin with the hub under its own name, so it can add any header (an <c>Authorization: x</c>, a made-up bearer
/// token) and read what comes back, token-less reads from a trusted network included. It cannot hold a valid token:
/// the dashboard's tokens belong to the hub's own origin.</item>
/// </list>
/// It runs before the auth endpoints, so a refused request never counts towards a ban. Webhooks (called by other
/// systems by design) are not affected; neither is the admin socket.
/// </summary>
internal sealed class SameOriginGuard(RequestDelegate next, PiHubOptions options, AuthManager auth, ILogger<SameOriginGuard> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (IsExempt(context)) return next(context);
        var request = context.Request;
        var origin = request.Headers.Origin.ToString();
        var allowed = options.Http.CorsAllowedOrigins;
        if (ChangesState(request) && (origin.Length > 0 ? !HttpOrigins.IsAllowedOrigin(origin, request.Host, allowed) : IsCrossSite(request)))
        {
            var who = origin.Length > 0 ? origin : "another site";
            logger.LogWarning("Refused a cross-site {Method} {Path} from {Client}: Origin {Origin}", request.Method, request.Path, ClientAddress.Of(context), who);
            return Refuse(context, ApiErrorCodes.CrossOrigin,
                $"Refused a request made by the web page at {who}: pages on other sites may not log in to the hub or change anything on it " +
                $"through your browser. If that page is yours, add its origin to http.cors_allowed_origins in {ConfigFile} and restart PiHub.");
        }

        if (!HttpOrigins.IsAllowedHost(request.Host, options.Http.AllowedHosts) && !HasValidBearerToken(context))
        {
            logger.LogWarning("Refused {Method} {Path} from {Client} under the host name {Host}", request.Method, request.Path, ClientAddress.Of(context), request.Host.Host);
            return Refuse(context, ApiErrorCodes.HostNotAllowed,
                $"The hub does not answer requests without a valid access token under the name \"{request.Host.Host}\" (a defence against DNS rebinding). " +
                $"Use its address or its .local name, or, if you reach it under this name on purpose, add it to http.allowed_hosts in {ConfigFile} and restart PiHub.");
        }

        return next(context);
    }

    private string ConfigFile => options.Source == "embedded defaults" ? "a pihub.yaml (start the hub with --config <file>)" : options.Source;

    private static bool IsExempt(HttpContext context) =>
        // The admin socket (a Unix socket, no IP address) has its own peer-credential check.
        context.Connection.RemoteIpAddress is null
        || context.Request.Path.StartsWithSegments("/api/webhook", StringComparison.OrdinalIgnoreCase);

    private static bool ChangesState(HttpRequest request) =>
        // WebSocket handshakes are GETs that change state (a connection that may log in); HTTP/2's are CONNECTs.
        !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
        || request.Headers.Upgrade.ToString().Contains("websocket", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// True when the request carries <c>Authorization: Bearer</c> with a token the hub issued and still honours. Any
    /// other <c>Authorization</c> header counts as none. Not reported as a failure here: the endpoint does that.
    /// </summary>
    private bool HasValidBearerToken(HttpContext context) =>
        ApiAuthentication.BearerToken(context.Request.Headers.Authorization.ToString()) is { } token
        && auth.AccessTokens.TryAuthenticate(token, ClientAddress.Of(context), out _);

    private static bool IsCrossSite(HttpRequest request) =>
        string.Equals(request.Headers["Sec-Fetch-Site"].ToString(), "cross-site", StringComparison.OrdinalIgnoreCase);

    private static Task Refuse(HttpContext context, string code, string message) =>
        ApiResults.Error(StatusCodes.Status403Forbidden, code, message).ExecuteAsync(context);
}
