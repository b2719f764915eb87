using Microsoft.AspNetCore.Http;
using PiHub.Core.Auth.Bans;
using PiHub.Core.Hub;

namespace PiHub.Server.Http;

/// <summary>
/// Refuses every request from a banned address with 403 and JSON <c>{code, message, banned_until}</c>
/// saying when the ban ends and how an admin lifts it sooner.
/// </summary>
public sealed class BanMiddleware(RequestDelegate next, BanManager bans)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (!bans.IsBanned(ClientAddress.Of(context), out var ban)) return next(context);
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling((ban.BannedUntil - DateTimeOffset.UtcNow).TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var body = new BannedResponse(BanManager.Describe(ban), ApiErrorCodes.Banned, HubJson.FormatTime(ban.BannedUntil));
        return TypedResults.Json(body, HttpJsonContext.Web.BannedResponse, statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(context);
    }
}
