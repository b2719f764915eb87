using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using PiHub.Core.Auth.Bans;
using PiHub.Server.Auth;
using PiHub.Configuration;

namespace PiHub.Server.Http;

/// <summary>
/// The HTTP front door: where Kestrel listens and what it accepts, then the middleware every request
/// passes before an endpoint — error bodies, the real client address, bans, and the limit on password hashing.
/// </summary>
internal static class HttpWiring
{
    /// <summary>Listens on <c>http.server_host:server_port</c> unless <c>urls</c> is configured (tests, dev).</summary>
    public static IWebHostBuilder ConfigurePiHubKestrel(this IWebHostBuilder webHost, IConfiguration configuration, PiHubOptions options)
    {
        if (string.IsNullOrEmpty(configuration["urls"]))
        {
            webHost.ConfigureKestrel(k => k.Listen(ListenAddress(options.Http.ServerHost), options.Http.ServerPort));
        }

        return webHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            // Bodies over http.max_body_bytes get a 413 with a message; Kestrel only cuts off the absurd.
            k.Limits.MaxRequestBodySize = Math.Max(options.Http.MaxBodyBytes * 4L, 16 * 1024 * 1024);
        });
    }

    /// <summary>Registers what the HTTP middleware needs (the password-check limiter, shared with the WebSocket commands).</summary>
    public static IServiceCollection AddPiHubHttp(this IServiceCollection services)
    {
        ReserveThreadsBesidePasswordChecks();
        return services.AddSingleton(sp =>
        {
            // Addresses without recent failures go first; without a ban manager every client is alike.
            var bans = sp.GetService<BanManager>();
            return new PasswordCheckLimiter(hasFailed: a => a is not null && bans?.HasRecentFailures(a) == true);
        }).AddCors();
    }

    /// <summary>
    /// A password check (PBKDF2, ~0.2 s here, ~1 s on a Pi) holds a thread-pool thread for its whole length, and the
    /// limiter lets one run per core: with the pool's default minimum (one thread per core) the checks alone would fill
    /// it, and every other request — the owner's, from another address — would wait for the pool to grow (about two
    /// threads a second). Keeping as many threads again ready for everything else costs a few idle threads.
    /// </summary>
    private static void ReserveThreadsBesidePasswordChecks()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        var wanted = (Environment.ProcessorCount * 2) + 2;
        if (workers < wanted) ThreadPool.SetMinThreads(wanted, io);
    }

    /// <summary>
    /// The middleware, in order: error bodies (around everything), client address, bans, the same-origin guard
    /// (foreign pages and host names), then the auth endpoints' gate (whole body first, then a fair turn at the
    /// password-check limiter).
    /// </summary>
    public static WebApplication UsePiHubHttp(this WebApplication app)
    {
        app.UseMiddleware<ErrorBodyMiddleware>();
        app.UseMiddleware<ForwardedForMiddleware>();
        var allowedOrigins = app.Services.GetRequiredService<PiHubOptions>().Http.CorsAllowedOrigins;
        if (allowedOrigins.Count > 0)
        {
            // Pages the owner allowed may call the API from a browser, with a token (never with cookies).
            app.UseCors(policy => policy.WithOrigins([.. allowedOrigins])
                .WithHeaders("Authorization", "Content-Type").WithMethods("GET", "POST", "PUT", "DELETE"));
        }

        app.UseMiddleware<BanMiddleware>();
        app.UseMiddleware<SameOriginGuard>();
        app.UseMiddleware<AuthRequestGate>();
        return app;
    }

    private static IPAddress ListenAddress(string host) => host == "localhost" ? IPAddress.Loopback : IPAddress.Parse(host);
}
