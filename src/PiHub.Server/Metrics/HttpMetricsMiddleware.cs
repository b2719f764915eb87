using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace PiHub.Server.Metrics;

/// <summary>Counts and times every HTTP request by <see cref="RouteGroups">route group</see> and status class.</summary>
internal sealed class HttpMetricsMiddleware(RequestDelegate next, HubInstruments instruments)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var group = RouteGroups.Of(context.Request);
        var upgrade = context.WebSockets.IsWebSocketRequest;
        var started = Stopwatch.GetTimestamp();
        var failed = true;
        try
        {
            await next(context).ConfigureAwait(false);
            failed = false;
        }
        finally
        {
            // An exception that got this far is answered 500 by the server, whatever the status said.
            var status = failed ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
            instruments.RecordRequest(group, status, upgrade ? null : Stopwatch.GetElapsedTime(started));
        }
    }
}
