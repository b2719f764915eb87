using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PiHub.Server.Auth;
using PiHub.Server.Http;

namespace PiHub.Server.Endpoints;

/// <summary>
/// <c>POST /api/template</c>: PiHub renders no templates. Home Assistant answers a template it cannot
/// render with 400 <c>Error rendering template: …</c>; PiHub answers every template that way, with the
/// reason, so a client shows why instead of an empty 404.
/// </summary>
public static class TemplateEndpoints
{
    public static IEndpointRouteBuilder MapTemplateEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api").RequireApiUser().MapPost("/template", static () =>
            ApiResults.Error(StatusCodes.Status400BadRequest, ApiErrorCodes.TemplatesNotSupported, "Error rendering template: " + Templates.NotSupported));
        return app;
    }
}
