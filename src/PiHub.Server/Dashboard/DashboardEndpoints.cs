using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using PiHub.Core.Auth;
using PiHub.Server.Http;
using PiHub.Server.Auth;

namespace PiHub.Server.Dashboard;

/// <summary>
/// Serves the embedded dashboard: its pages on explicit routes (so unknown <c>/api/…</c> paths still reach
/// the API's own 404), hashed files under <c>/assets/</c> with year-long cache lifetimes, and on every
/// answer a strict Content-Security-Policy (no inline script, nothing from another origin).
/// </summary>
public static class DashboardEndpoints
{
    /// <summary>
    /// Everything comes from the hub itself. <c>img-src data:</c> is for the TOTP QR code (an SVG the hub
    /// sends over the WebSocket, shown as an image so it can never run script).
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>The dashboard's own paths; each answers its one HTML page (the page routes in the browser).</summary>
    public static readonly IReadOnlyList<string> AppRoutes = ["/", "/profile", "/users", "/security", "/system"];

    private const string ImmutableCache = "public, max-age=31536000, immutable";
    private static readonly string[] s_methods = [HttpMethods.Get, HttpMethods.Head];

    /// <summary>
    /// True for a GET or HEAD of a dashboard page or asset: static files that log no one in, served even to a banned
    /// address so that its owner sees the login page and, from the login API, when the ban ends and how to lift it.
    /// </summary>
    public static bool IsStaticRequest(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method)) return false;
        var path = request.Path;
        // Routing ignores case, so these comparisons do too (PathString's default, spelled out).
        const StringComparison anyCase = StringComparison.OrdinalIgnoreCase;
        if (path.StartsWithSegments("/assets", anyCase) || path.Equals("/auth/authorize", anyCase) || path.Equals("/onboarding.html", anyCase)) return true;
        foreach (var route in AppRoutes)
        {
            if (path.Equals(route, anyCase)) return true;
        }

        return false;
    }

    /// <summary>Maps the dashboard's pages and assets.</summary>
    public static IEndpointRouteBuilder MapDashboardEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var assets = DashboardAssets.Load(typeof(DashboardEndpoints).Assembly);
        foreach (var route in AppRoutes)
        {
            app.MapMethods(route, s_methods, context => ServePageAsync(context, assets, "index.html"));
        }

        app.MapMethods("/auth/authorize", s_methods, context => AuthorizeAsync(context, assets));
        app.MapMethods("/onboarding.html", s_methods, context => ServePageAsync(context, assets, "onboarding.html"));
        app.MapMethods("/assets/{file}", s_methods, context => ServeAssetAsync(context, assets));
        return app;
    }

    /// <summary>
    /// The OAuth authorize page. A GET that carries <c>grant_type</c> is a script asking for a token the wrong
    /// way (Home Assistant 0.77 users did): it gets JSON saying how, not a login page it cannot read.
    /// </summary>
    private static Task AuthorizeAsync(HttpContext context, DashboardAssets assets)
    {
        if (context.Request.Query.ContainsKey("grant_type"))
        {
            AuthHttp.NoStore(context.Response);
            var host = context.Request.Host.HasValue ? context.Request.Host.Value : "pihub.local:8123";
            return AuthHttp.OAuth(StatusCodes.Status400BadRequest, AuthErrorCodes.InvalidRequest,
                "/auth/authorize is the login page for people. To refresh a token, POST /auth/token with a form body, e.g. " +
                $"curl -X POST http://{host}/auth/token -d grant_type=refresh_token -d refresh_token=… -d client_id=…; the answer is JSON.")
                .ExecuteAsync(context);
        }

        return ServePageAsync(context, assets, "authorize.html");
    }

    private static Task ServePageAsync(HttpContext context, DashboardAssets assets, string page)
    {
        if (!assets.TryGet(page, out var file))
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.ContentType = "text/plain; charset=utf-8";
            return context.Response.WriteAsync(
                "This pihub was built without its dashboard (-p:PiHubDashboard=false). The HTTP and WebSocket API work; " +
                "build again without that option to get the pages.\n");
        }

        return ServeFileAsync(context, file);
    }

    private static Task ServeAssetAsync(HttpContext context, DashboardAssets assets)
    {
        var name = context.Request.RouteValues["file"] as string;
        if (name is not null && assets.TryGet("assets/" + name, out var file)) return ServeFileAsync(context, file);
        context.Response.Headers.CacheControl = "no-store";
        return ApiResults.NotFound(
            $"No dashboard file /assets/{name}: the hub may have been updated since this page loaded; reload the page.")
            .ExecuteAsync(context);
    }

    private static Task ServeFileAsync(HttpContext context, DashboardFile file)
    {
        var response = context.Response;
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        // Codes and states ride in the authorize page's URL: never send it to another site.
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = file.Immutable ? ImmutableCache : "no-cache";
        headers.ContentType = file.ContentType;

        var (body, encoding) = Choose(context.Request.Headers.AcceptEncoding, file);
        if (file.Gzip is not null || file.Brotli is not null) headers.Vary = "Accept-Encoding";
        var etag = encoding is null ? file.ETag : $"{file.ETag[..^1]}-{encoding}\"";
        headers.ETag = etag;
        if (context.Request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(t => t.Trim() == etag)))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        if (encoding is not null) headers.ContentEncoding = encoding;
        response.ContentLength = body.Length;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(body).AsTask();
    }

    /// <summary>Brotli, else gzip, else the raw bytes, as the client's Accept-Encoding allows (q=0 refuses).</summary>
    internal static (byte[] Body, string? Encoding) Choose(StringValues acceptEncoding, DashboardFile file)
    {
        var accepted = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var value in acceptEncoding)
        {
            foreach (var part in (value ?? "").Split(','))
            {
                var pieces = part.Split(';', StringSplitOptions.TrimEntries);
                var refused = pieces.Skip(1).Any(p => p.Replace(" ", "", StringComparison.Ordinal) is "q=0" or "q=0.0" or "q=0.00" or "q=0.000");
                if (pieces[0].Length > 0 && !refused) accepted.Add(pieces[0]);
            }
        }

        if (file.Brotli is not null && accepted.Contains("br")) return (file.Brotli, "br");
        if (file.Gzip is not null && accepted.Contains("gzip")) return (file.Gzip, "gzip");
        return (file.Raw, null);
    }
}
