using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;

namespace PiHub.Server.Http;

/// <summary>
/// Password hashing (PBKDF2, 600,000 rounds) must not be a way to exhaust the Pi's CPU: the
/// endpoints that check a password or secret run at most one hash per core at a time, with a
/// short queue; beyond that clients get 429 with Retry-After.
/// </summary>
public static class PasswordRateLimiting
{
    public const int QueueLimit = 16;

    public static IServiceCollection AddPasswordRateLimiting(this IServiceCollection services) =>
        services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(static context =>
                IsPasswordEndpoint(context.Request)
                    ? RateLimitPartition.GetConcurrencyLimiter("password", static _ => new ConcurrencyLimiterOptions
                    {
                        PermitLimit = Environment.ProcessorCount,
                        QueueLimit = QueueLimit,
                        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                    })
                    : RateLimitPartition.GetNoLimiter("other"));
            options.OnRejected = static async (context, cancellationToken) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "1";
                await ApiResults.TooManyRequests("Too many password checks are running at once; wait a second and try again.")
                    .ExecuteAsync(context.HttpContext).ConfigureAwait(false);
            };
        });

    /// <summary>Login steps, token grants and owner creation: every endpoint that hashes a secret.</summary>
    public static bool IsPasswordEndpoint(HttpRequest request) =>
        HttpMethods.IsPost(request.Method)
        && (request.Path.StartsWithSegments("/auth/login_flow", StringComparison.Ordinal)
            || request.Path.StartsWithSegments("/auth/token", StringComparison.Ordinal)
            || request.Path.StartsWithSegments("/api/onboarding/users", StringComparison.Ordinal));
}
