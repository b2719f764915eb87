using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using PiHub.Server.Http;

namespace PiHub.Server.Auth;

/// <summary>Bearer authentication for the REST API, as an endpoint filter on a route group.</summary>
internal static class ApiAuthentication
{
    private const string PrincipalKey = "pihub.principal";

    /// <summary>The answer to Home Assistant's legacy <c>x-ha-access</c> header or <c>?api_password=</c>.</summary>
    public const string LegacyApiPasswordMessage =
        "The legacy API password (x-ha-access header or ?api_password=) is not supported: create a long-lived access token " +
        "in your profile (or with the WebSocket command auth/long_lived_access_token) and send it as \"Authorization: Bearer <token>\".";

    /// <summary>Every endpoint of the group needs a user; admin-only endpoints add <see cref="RequireAdmin"/>.</summary>
    public static RouteGroupBuilder RequireApiUser(this RouteGroupBuilder group) =>
        group.AddEndpointFilter(static async (context, next) =>
        {
            var http = context.HttpContext;
            var authenticator = http.RequestServices.GetRequiredService<IApiAuthenticator>();
            if (http.Request.Headers.ContainsKey("x-ha-access") || http.Request.Query.ContainsKey("api_password"))
            {
                // Home Assistant's legacy API password: refused outright, even from a trusted network.
                return ApiResults.Unauthorized(LegacyApiPasswordMessage);
            }

            var token = BearerToken(http.Request.Headers.Authorization.ToString());
            if (!authenticator.TryAuthenticate(token, ClientAddress.Of(http), out var principal, out var failure))
            {
                http.Response.Headers.WWWAuthenticate = "Bearer";
                return ApiResults.Unauthorized(failure);
            }

            http.Items[PrincipalKey] = principal;
            return await next(context).ConfigureAwait(false);
        });

    public static TBuilder RequireAdmin<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(static async (context, next) =>
        {
            var principal = context.HttpContext.Principal();
            if (!principal.IsAdmin)
            {
                return ApiResults.Forbidden($"User {principal.User.Name} is not an administrator; this needs an admin account (ask the owner to add you to system-admin).");
            }

            return await next(context).ConfigureAwait(false);
        });

    /// <summary>Refuses read-only users (they may read states and subscribe, nothing else).</summary>
    public static TBuilder RequireWriter<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(static async (context, next) =>
        {
            var principal = context.HttpContext.Principal();
            if (principal.IsReadOnly)
            {
                return ApiResults.Forbidden($"User {principal.User.Name} is read-only: it can read states and subscribe to events, nothing else.");
            }

            return await next(context).ConfigureAwait(false);
        });

    public static ApiPrincipal Principal(this HttpContext context) =>
        context.Items[PrincipalKey] as ApiPrincipal
        ?? throw new InvalidOperationException("Endpoint is not behind RequireApiUser.");

    /// <summary>The token of an <c>Authorization: Bearer …</c> header; the scheme is case-insensitive.</summary>
    public static string? BearerToken(string header)
    {
        const string scheme = "Bearer ";
        if (header.Length > scheme.Length && header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return header[scheme.Length..].Trim();
        }

        return null;
    }
}
