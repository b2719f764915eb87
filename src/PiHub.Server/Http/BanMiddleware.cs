using Microsoft.AspNetCore.Http;
using PiHub.Core.Auth.Bans;
using PiHub.Core.Hub;
using PiHub.Server.Dashboard;

namespace PiHub.Server.Http;

/// <summary>
/// Refuses every request from a banned address with 403 and JSON <c>{code, message, banned_until}</c>
/// saying when the ban ends and how an admin lifts it sooner — except the dashboard's static pages and assets, so
/// that a banned owner's browser shows the login page and, through it, that message.
/// </summary>
public sealed class BanMiddleware(RequestDelegate next, BanManager bans)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (DashboardEndpoints.IsStaticRequest(context.Request) || !bans.IsBanned(ClientAddress.Of(context), out var ban)) return next(context);
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling((ban.BannedUntil - DateTimeOffset.UtcNow).TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var body = new BannedResponse(BanManager.Describe(ban), ApiErrorCodes.Banned, HubJson.FormatTime(ban.BannedUntil));
        return TypedResults.Json(body, HttpJsonContext.Web.BannedResponse, statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(context);
    }
}
