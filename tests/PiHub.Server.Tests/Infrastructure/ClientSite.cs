using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PiHub.Core.Auth.Validation;
using PiHub.Server.Auth.ClientPages;

namespace PiHub.Server.Tests.Infrastructure;

/// <summary>
/// A second Kestrel on a loopback port standing for an OAuth client's web site: its pages are whatever the test maps,
/// and it counts the requests it answered.
/// </summary>
public sealed class ClientSite : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private ClientSite(WebApplication app) => _app = app;

    /// <summary>The site's root, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUri { get; private set; } = null!;

    /// <summary>Requests answered so far.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Starts the site with the routes <paramref name="map"/> adds.</summary>
    public static async Task<ClientSite> StartAsync(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var site = new ClientSite(app);
        app.Use((context, next) =>
        {
            Interlocked.Increment(ref site._requests);
            return next(context);
        });
        map(app);
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        site.BaseUri = new Uri(address + "/");
        return site;
    }

    /// <summary>An HTML answer.</summary>
    public static Task Html(HttpContext context, string html)
    {
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(html);
    }

    /// <summary>
    /// For <see cref="TestHub.StartAsync"/>'s <c>services</c>: a hub that reads client pages on loopback, which it never
    /// does in production, so that a <see cref="ClientSite"/> can stand in for a client's public site.
    /// </summary>
    public static void ReadPagesOnLoopback(IServiceCollection services, TimeSpan? timeout = null) =>
        services.AddSingleton<IClientPageReader>(sp => new ClientPageReader(sp.GetRequiredService<TimeProvider>(), NullLogger<ClientPageReader>.Instance,
            timeout ?? ClientPageLimits.Timeout, _ => null));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
