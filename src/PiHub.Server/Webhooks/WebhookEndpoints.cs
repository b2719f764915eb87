using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PiHub.Core.Auth;
using PiHub.Core.Auth.Model;
using PiHub.Core.Auth.Validation;
using PiHub.Core.Hub;
using PiHub.Core.Hub.Webhooks;
using PiHub.Configuration;
using PiHub.Server.Http;
using PiHub.Server.Endpoints;

namespace PiHub.Server.Webhooks;

/// <summary>
/// <c>POST|PUT /api/webhook/{webhook_id}</c>: no token, the id is the secret (Plex, IFTTT, scripts). A known id fires
/// the hub event <c>webhook</c> with <c>{webhook_id, name, data, query}</c>. Unknown ids answer the same empty 200 as
/// known ones (no enumeration) but are rate-limited per client address.
/// </summary>
public static class WebhookEndpoints
{
    /// <summary>The event type fired for every accepted webhook call.</summary>
    public const string EventType = "webhook";

    /// <summary>Maps the webhook endpoint.</summary>
    public static IEndpointRouteBuilder MapWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var limiter = new UnknownWebhookLimiter();
        app.ServiceProvider.GetRequiredService<IHostApplicationLifetime>().ApplicationStopped.Register(limiter.Dispose);
        app.MapMethods("/api/webhook/{webhook_id}", [HttpMethods.Post, HttpMethods.Put],
            (HttpContext context, string webhook_id, CancellationToken cancellationToken) =>
                HandleAsync(context, webhook_id, limiter, cancellationToken));
        return app;
    }

    private static async Task<IResult> HandleAsync(HttpContext context, string webhookId, UnknownWebhookLimiter limiter, CancellationToken cancellationToken)
    {
        var services = context.RequestServices;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("PiHub.Webhooks");
        var client = ClientAddress.Of(context);
        var webhook = services.GetRequiredService<WebhookManager>().Find(webhookId);
        if (webhook is null)
        {
            if (!limiter.TryAcquire(client, out var retryAfter))
            {
                context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return ApiResults.TooManyRequests(
                    $"Too many requests for unknown webhooks from {client}; wait {retryAfter.TotalSeconds:0} s. Check the webhook URL: an admin can list the current ones with pihub/webhook/list.");
            }

            logger.LogInformation("Webhook call from {Client} for an unknown id ({Prefix}…) answered 200 without an event", client, webhookId.Length > 6 ? webhookId[..6] : webhookId);
            return Results.Ok();
        }

        if (webhook.LocalOnly && !NetworkLocality.IsLocal(client))
        {
            logger.LogWarning("Webhook {Name} refused a call from {Client}: it is local_only", webhook.Name, client);
            return ApiResults.Forbidden($"Webhook \"{webhook.Name}\" only accepts calls from the local network, and {client} is not local. Call it from the LAN, or have an admin re-create it without local_only.");
        }

        var options = services.GetRequiredService<PiHubOptions>();
        var (body, tooLarge) = await ReadBodyAsync(context, options.Http.MaxBodyBytes, cancellationToken).ConfigureAwait(false);
        if (tooLarge is not null) return tooLarge;
        if (webhook.SigningSecret is { } secret)
        {
            var request = context.Request;
            var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? $"{request.PathBase}{request.Path}{request.QueryString}";
            var problem = services.GetRequiredService<WebhookSignature>().Check(secret, request.Headers[WebhookSignature.TimestampHeader],
                request.Headers[WebhookSignature.Header], request.Method, target, body.Span);
            if (problem is not null)
            {
                logger.LogWarning("Webhook {Name} refused a call from {Client}: {Problem}", webhook.Name, client, problem);
                return ApiResults.Unauthorized($"Webhook \"{webhook.Name}\" takes only signed requests, and this one was refused: {problem}");
            }
        }

        var hub = services.GetRequiredService<HubCore>();
        byte[] data;
        try
        {
            data = await EventDataAsync(context, webhook, body, cancellationToken).ConfigureAwait(false);
        }
        catch (WebhookPayloadTooLargeException ex)
        {
            return ApiResults.TooLarge($"Webhook \"{webhook.Name}\": {ex.Message}");
        }
        catch (FormatException ex)
        {
            return ApiResults.BadRequest($"Webhook \"{webhook.Name}\": {ex.Message}");
        }

        using (var doc = JsonDocument.Parse(data))
        {
            hub.Bus.Fire(new CustomEvent(EventType, doc.RootElement.Clone(), HubContext.New(null, hub.Time), hub.Time.GetUtcNow(), "REMOTE"));
        }

        logger.LogInformation("Webhook {Name} called from {Client} ({Bytes} bytes, {ContentType}): event fired", webhook.Name, client, body.Length, context.Request.ContentType ?? "no content type");
        return Results.Ok();
    }

    private static async Task<byte[]> EventDataAsync(HttpContext context, Webhook webhook, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(body.Length + 256);
        await using (var w = new Utf8JsonWriter(buffer, Core.Hub.HubJson.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("webhook_id", webhook.Id);
            w.WriteString("name", webhook.Name);
            w.WritePropertyName("data");
            await WebhookPayload.WriteAsync(w, context.Request.ContentType, body, cancellationToken).ConfigureAwait(false);
            w.WriteStartObject("query");
            foreach (var (key, values) in context.Request.Query)
            {
                if (values.Count == 1)
                {
                    w.WriteString(key, values[0]);
                    continue;
                }

                w.WriteStartArray(key);
                foreach (var value in values) w.WriteStringValue(value);
                w.WriteEndArray();
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The raw body (needed whole for the signature), or a 413 naming <c>http.max_body_bytes</c>.</summary>
    private static async Task<(ReadOnlyMemory<byte> Body, IResult? TooLarge)> ReadBodyAsync(HttpContext context, int maxBytes, CancellationToken cancellationToken)
    {
        var tooLarge = ApiResults.TooLarge(
            $"The request body is larger than {maxBytes / 1024} KiB, the hub's limit (http.max_body_bytes). Send less, or raise the limit in pihub.yaml.");
        if (context.Request.ContentLength > maxBytes)
        {
            await context.Request.Body.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
            return (default, tooLarge);
        }

        var buffer = new ArrayBufferWriter<byte>(4096);
        while (true)
        {
            var read = await context.Request.Body.ReadAsync(buffer.GetMemory(8192), cancellationToken).ConfigureAwait(false);
            if (read == 0) break;
            buffer.Advance(read);
            if (buffer.WrittenCount > maxBytes) return (default, tooLarge);
        }

        return (buffer.WrittenMemory, null);
    }
}
